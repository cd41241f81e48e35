import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, ExpectedRevisionConflict, toEnvelopes, type EventStore } from '@clp/event-store';
import type { CommitContext } from '@clp/event-store';
import { ConnectionCommands } from './connection-commands';

type FingerprintReserved = { type: 'FingerprintReserved'; data: { fingerprint: string; connection_id: string } };

/**
 * One live connection per fingerprint (DESIGN 6.3), enforced by the event store: a stream per
 * fingerprint whose last `FingerprintReserved` names the connection. Two replicas reserving at
 * once race on the stream's revision and exactly one wins. A deleted holder's fingerprint can be
 * reserved again, for a new connection.
 */
@Injectable()
export class FingerprintReservations {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly connections: ConnectionCommands,
  ) {}

  /** The connection that holds the fingerprint, reserving it for a new one when it is free. */
  async reserve(fingerprint: string, context: Omit<CommitContext, 'command_id'>): Promise<{ connection_id: string; reserved: boolean }> {
    const stream = `fingerprint-${fingerprint}`;
    // Most fingerprints are new: claim first, read only when someone holds it already.
    let optimistic = true;
    for (;;) {
      const last = optimistic ? undefined : (await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
      optimistic = false;
      if (last) {
        const holder = (last.data as FingerprintReserved['data']).connection_id;
        // A holder whose stream does not exist yet is being created (or its creator crashed): it is still the holder.
        if ((await this.connections.load(holder)).state.status !== 'deleted') return { connection_id: holder, reserved: false };
      }
      const connectionId = randomUUID();
      const event: FingerprintReserved = { type: 'FingerprintReserved', data: { fingerprint, connection_id: connectionId } };
      try {
        await this.store.appendToStream(stream, toEnvelopes([event], { ...context, command_id: randomUUID() }), {
          expectedRevision: last ? last.revision : 'no_stream',
        });
        return { connection_id: connectionId, reserved: true };
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
      }
    }
  }
}
