import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clp/contracts';
import { toEnvelopes } from './commit';
import { ExpectedRevisionConflict, type EventStore, type RecordedEvent } from './port';

/**
 * The behaviour every event store adapter must have (design.md §4). Each adapter's spec calls this
 * with a factory for a store on a real server. Streams are named per test run, so a shared
 * server (an EventStoreDB someone runs) is not disturbed by earlier runs.
 */
export const describeEventStoreContract = (name: string, open: () => Promise<{ store: EventStore; close(): Promise<void> }>) => {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let close: () => Promise<void>;
    // A category of its own for each run: subscriptions filtered to it see only this run's events.
    const category = `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const newStream = () => `${category}-${randomUUID()}`;

    const events = (count: number, label = 'e'): EventEnvelope[] =>
      toEnvelopes(
        Array.from({ length: count }, (_, i) => ({ type: 'Happened', data: { label, i } })),
        { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system', id: 'contract' } },
      );

    const labels = (recorded: RecordedEvent[]) => recorded.map((e) => `${(e.data as { label: string }).label}${(e.data as { i: number }).i}`);

    beforeAll(async () => {
      ({ store, close } = await open());
    });

    afterAll(async () => {
      await close();
    });

    it('creates a stream with no_stream and refuses a second create', async () => {
      const stream = newStream();
      const created = await store.appendToStream(stream, events(1, 'a'), { expectedRevision: 'no_stream' });
      await expect(store.appendToStream(stream, events(1, 'b'), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        ExpectedRevisionConflict,
      );
      const read = await store.readStream(stream);
      expect(labels(read)).toEqual(['a0']);
      expect(read[0].revision).toBe(created.nextExpectedRevision);
    });

    it('rejects a stale expected revision and accepts the current one', async () => {
      const stream = newStream();
      const first = await store.appendToStream(stream, events(1, 'a'), { expectedRevision: 'no_stream' });
      const second = await store.appendToStream(stream, events(1, 'b'), { expectedRevision: first.nextExpectedRevision });
      expect(second.nextExpectedRevision > first.nextExpectedRevision).toBe(true);
      const stale = store.appendToStream(stream, events(1, 'c'), { expectedRevision: first.nextExpectedRevision });
      await expect(stale).rejects.toMatchObject({ name: 'ExpectedRevisionConflict', stream, actual: second.nextExpectedRevision });
      const read = await store.readStream(stream);
      expect(labels(read)).toEqual(['a0', 'b0']);
      expect(read.at(-1)!.revision).toBe(second.nextExpectedRevision);
    });

    it('of 10 concurrent appends at the same revision, exactly one wins', async () => {
      const stream = newStream();
      const { nextExpectedRevision } = await store.appendToStream(stream, events(1, 'base'), { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.appendToStream(stream, events(1, `w${i}-`), { expectedRevision: nextExpectedRevision })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const o of lost) expect(o.reason).toBeInstanceOf(ExpectedRevisionConflict);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('stores a retried commit (same commit id) once', async () => {
      const stream = newStream();
      const decision = events(2, 'r');
      const first = await store.appendToStream(stream, decision, { expectedRevision: 'no_stream' });
      const retry = await store.appendToStream(stream, decision, { expectedRevision: 'no_stream' });
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      const again = await store.appendToStream(stream, decision, { expectedRevision: 'any' });
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(labels(await store.readStream(stream))).toEqual(['r0', 'r1']);
    });

    it('reads a multi-event commit back whole, with its metadata', async () => {
      const stream = newStream();
      const decision = events(3, 'm');
      await store.appendToStream(stream, decision, { expectedRevision: 'no_stream' });
      const read = await store.readStream(stream);
      expect(read.map(({ type, data, metadata }) => ({ type, data, metadata }))).toEqual(decision);
      expect(read.every((e) => e.stream === stream)).toBe(true);
    });

    it("reads only a stream's own events, in order", async () => {
      const [a, b] = [newStream(), newStream()];
      let [ra, rb]: Array<bigint | 'no_stream'> = ['no_stream', 'no_stream'];
      for (let i = 0; i < 5; i++) {
        ra = (await store.appendToStream(a, events(1, `a${i}-`), { expectedRevision: ra })).nextExpectedRevision;
        rb = (await store.appendToStream(b, events(2, `b${i}-`), { expectedRevision: rb })).nextExpectedRevision;
      }
      expect(labels(await store.readStream(a))).toEqual(['a0-0', 'a1-0', 'a2-0', 'a3-0', 'a4-0']);
      expect(await store.readStream(b)).toHaveLength(10);
      expect(labels(await store.readStream(a, { direction: 'backwards', maxCount: 2 }))).toEqual(['a4-0', 'a3-0']);
      expect(await store.readStream(newStream())).toEqual([]);
    });

    it('reads the last event alone, and the events from a revision on', async () => {
      const stream = newStream();
      const first = await store.appendToStream(stream, events(1, 'p'), { expectedRevision: 'no_stream' });
      const second = await store.appendToStream(stream, events(2, 'q'), { expectedRevision: first.nextExpectedRevision });
      const [last, ...more] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      expect(more).toEqual([]);
      expect(labels([last])).toEqual(['q1']);
      expect(last.revision).toBe(second.nextExpectedRevision);
      expect(labels(await store.readStream(stream, { fromRevision: first.nextExpectedRevision + 1n }))).toEqual(['q0', 'q1']);
      expect(await store.readStream(newStream(), { direction: 'backwards', maxCount: 1 })).toEqual([]);
    });

    it('honours stream_exists and any', async () => {
      const stream = newStream();
      await expect(store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
        ExpectedRevisionConflict,
      );
      await store.appendToStream(stream, events(1, 'x'), { expectedRevision: 'any' });
      await store.appendToStream(stream, events(1, 'y'), { expectedRevision: 'stream_exists' });
      expect(labels(await store.readStream(stream))).toEqual(['x0', 'y0']);
    });

    it('subscribeToAll stopped and restarted from its checkpoint delivers every later event exactly once, in order', async () => {
      const streams = [newStream(), newStream(), newStream()];
      const written: string[] = [];
      const revisions = new Map<string, bigint | 'no_stream'>(streams.map((s) => [s, 'no_stream']));
      const write = async (round: number) => {
        for (const [n, stream] of streams.entries()) {
          const batch = events(n + 1, `${round}.${n}.`);
          const r = await store.appendToStream(stream, batch, { expectedRevision: revisions.get(stream)! });
          revisions.set(stream, r.nextExpectedRevision);
          written.push(...batch.map((e) => e.metadata.event_id));
        }
      };
      const take = async (fromCheckpoint: string | undefined, count: number) => {
        const subscription = store.subscribeToAll({ fromCheckpoint, filter: { streamPrefixes: [`${category}-`] } });
        const seen: RecordedEvent[] = [];
        for await (const event of subscription) {
          // Other tests of this suite write to the same category: keep this test's streams only.
          if (streams.includes(event.stream)) seen.push(event);
          if (seen.length === count) break;
        }
        await subscription.stop();
        return seen;
      };

      for (let round = 0; round < 3; round++) await write(round);
      // Stop in the middle of a multi-event commit: the checkpoint is per event, not per commit.
      const firstPart = await take(undefined, 8);
      expect(firstPart.map((e) => e.metadata.event_id)).toEqual(written.slice(0, 8));

      for (let round = 3; round < 5; round++) await write(round);
      const rest = await take(firstPart.at(-1)!.position, written.length - 8);
      expect(rest.map((e) => e.metadata.event_id)).toEqual(written.slice(8));
      const positions = [...firstPart, ...rest].map((e) => e.position);
      expect([...positions].sort()).toEqual(positions);
    });
  });
};
