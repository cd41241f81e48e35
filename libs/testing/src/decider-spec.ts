/**
 * Given / when / then for pure deciders:
 *
 *   const { given } = deciderSpec(connectionDecider);
 *   given([discovered]).when(requestStatus('ignored')).then([statusChanged('discovered', 'ignored')]);
 *   given([deleted]).when(requestStatus('registered')).thenThrows({ code: 'invalid_transition' });
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export const deciderSpec = <Command, Event, State>(decider: Decider<Command, Event, State>) => {
  const stateOf = (events: Event[]): State => events.reduce(decider.evolve, decider.initialState());

  return {
    given: (events: Event[]) => ({
      when: (command: Command) => {
        const run = () => decider.decide(command, stateOf(events));
        return {
          /** The decision is exactly these events, in order. */
          then: (expected: Event[]): Event[] => {
            const actual = run();
            expect(actual).toEqual(expected);
            return actual;
          },
          /** The decision is refused with an error matching `expected` (e.g. `{ code: 'not_found' }`). */
          thenThrows: (expected: Record<string, unknown>): Error => {
            let error: unknown;
            try {
              run();
            } catch (caught) {
              error = caught;
            }
            expect(error).toBeInstanceOf(Error);
            expect(error).toMatchObject(expected);
            return error as Error;
          },
          /** The events, for assertions the exact-match form cannot express. */
          events: run,
        };
      },
    }),
    stateOf,
  };
};
