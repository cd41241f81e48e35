import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@clp/contracts';
import type { CommandMetadata } from '@clp/environments';
import { COMMAND_ATTEMPTS, EVENT_STORE, ExpectedRevisionConflict, pauseAfterConflict, stillConflicting, toEnvelopes, type EventStore } from '@clp/event-store';
import type { TraceIds } from './command-context';

export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export interface Loaded<S> {
  state: S;
  revision: bigint | 'no_stream';
  created_at?: string;
  updated_at?: string;
}

export type Executed<S, E> = Loaded<S> & { events: E[] };

export const environmentStream = (id: string): string => `environment-${id}`;
export const workspaceStream = (id: string): string => `workspace-${id}`;
export const nameClaimStream = (id: string): string => `environment_name-${id}`;

/**
 * Runs a command against one event stream: load it, decide, append at the revision it was
 * decided on. Another replica deciding at the same time makes the append fail; the command is
 * then decided again on the newer state. Nothing is cached: every load reads the stream, so a
 * refusal or a no-op is decided on the state as it was stored when the command arrived.
 */
@Injectable()
export class StreamCommands {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string): Promise<Loaded<S>> {
    const recorded = await this.store.readStream(stream);
    return {
      state: recorded.reduce((state, e) => decider.evolve(state, { type: e.type, data: e.data } as E), decider.initialState()),
      revision: recorded.at(-1)?.revision ?? 'no_stream',
      created_at: recorded[0]?.metadata.occurred_at,
      updated_at: recorded.at(-1)?.metadata.occurred_at,
    };
  }

  /**
   * `decidedOn`: the stream as the caller just loaded it, to decide the first attempt on.
   * `attempts`: 1 for a command whose facts hold only for the state it was decided on: its caller
   * decides again, so a conflict is thrown to it as it is. A command that loses every attempt is a
   * 409 `conflict`, never a failure of the service.
   */
  async execute<C extends { metadata: CommandMetadata }, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    stream: string,
    command: C,
    trace: TraceIds = {},
    decidedOn?: Loaded<S>,
    { attempts = COMMAND_ATTEMPTS }: { attempts?: number } = {},
  ): Promise<Executed<S, E>> {
    for (let attempt = 1; ; attempt++) {
      const loaded = attempt === 1 && decidedOn ? decidedOn : await this.load(decider, stream);
      const events = decider.decide(command, loaded.state);
      if (events.length === 0) return { ...loaded, events };
      try {
        const { nextExpectedRevision } = await this.store.appendToStream(stream, toEnvelopes(events, { ...command.metadata, ...trace }), {
          expectedRevision: loaded.revision,
        });
        return {
          state: events.reduce(decider.evolve, loaded.state),
          revision: nextExpectedRevision,
          created_at: loaded.created_at ?? command.metadata.now,
          updated_at: command.metadata.now,
          events,
        };
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        if (attempt >= attempts) throw attempts === 1 ? error : stillConflicting();
        await pauseAfterConflict(attempt);
      }
    }
  }
}
