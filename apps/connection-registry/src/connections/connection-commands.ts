import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionEvent, ConnectionView } from '@clp/contracts';
import { connectionIdOf } from '@clp/connection-definitions';
import { connectionDecider, type ConnectionCommand, type ConnectionState } from '@clp/connection-lifecycle';
import { EVENT_STORE, ExpectedRevisionConflict, toEnvelopes, type EventStore, type RecordedEvent } from '@clp/event-store';

export const connectionStream = (connectionId: string): string => `connection-${connectionId}`;

export interface LoadedConnection {
  state: ConnectionState;
  revision: bigint | 'no_stream';
  created_at?: string;
  updated_at?: string;
}

export type Executed = LoadedConnection & { changed: boolean };

export interface TraceIds {
  correlation_id?: string;
  causation_id?: string | null;
  traceparent?: string;
}

const ATTEMPTS = 5;

/** The view of a connection that exists; deleted ones are not shown, except to the deleting command. */
export const viewOf = (loaded: LoadedConnection, { includeDeleted = false } = {}): ConnectionView | undefined => {
  const { state } = loaded;
  if (state.status === 'none' || (state.status === 'deleted' && !includeDeleted)) return undefined;
  const { identity: _identity, disconnected_by: _by, ...view } = state;
  return { ...view, created_at: loaded.created_at ?? '', updated_at: loaded.updated_at ?? '' };
};

/**
 * Runs a command against one connection: load its stream, decide, append at the revision it
 * was decided on. Another replica deciding at the same time makes the append fail; the command
 * is then decided again on the newer state.
 */
@Injectable()
export class ConnectionCommands {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(connectionId: string): Promise<LoadedConnection> {
    return this.fold(await this.store.readStream(connectionStream(connectionId)));
  }

  async history(connectionId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(connectionStream(connectionId));
  }

  /**
   * Runs a command on the live connection of a resource, creating it if there is none: generation
   * 0's stream first, appended to as new (most resources are); a deleted generation makes way for
   * the next, so the same resource registered again is a new connection.
   */
  async executeForFingerprint(
    fingerprint: string,
    command: (connectionId: string) => ConnectionCommand,
    trace: TraceIds = {},
  ): Promise<Executed & { connection_id: string }> {
    for (let generation = 0; ; generation++) {
      const connection_id = connectionIdOf(fingerprint, generation);
      const executed = await this.run(connection_id, command(connection_id), trace, { assumeNew: true, unlessDeleted: true });
      if (executed) return { ...executed, connection_id };
    }
  }

  async execute(connectionId: string, command: ConnectionCommand, trace: TraceIds = {}): Promise<Executed> {
    // Never undefined: only `unlessDeleted` answers so.
    return (await this.run(connectionId, command, trace, { assumeNew: false, unlessDeleted: false })) as Executed;
  }

  /**
   * `assumeNew`: decide the first attempt on the initial state and append as a new stream,
   * reading only if the stream exists. `unlessDeleted`: leave a deleted connection alone
   * (answering undefined) instead of deciding on it.
   */
  private async run(
    connectionId: string,
    command: ConnectionCommand,
    trace: TraceIds,
    options: { assumeNew: boolean; unlessDeleted: boolean },
  ): Promise<Executed | undefined> {
    for (let attempt = 1; ; attempt++) {
      const loaded: LoadedConnection =
        options.assumeNew && attempt === 1 ? { state: connectionDecider.initialState(), revision: 'no_stream' } : await this.load(connectionId);
      if (options.unlessDeleted && loaded.state.status === 'deleted') return undefined;
      const events = connectionDecider.decide(command, loaded.state);
      if (events.length === 0) return { ...loaded, changed: false };
      try {
        const { nextExpectedRevision } = await this.store.appendToStream(
          connectionStream(connectionId),
          toEnvelopes(events, { ...command.metadata, ...trace }),
          { expectedRevision: loaded.revision },
        );
        return {
          state: events.reduce(connectionDecider.evolve, loaded.state),
          revision: nextExpectedRevision,
          created_at: loaded.created_at ?? command.metadata.now,
          updated_at: command.metadata.now,
          changed: true,
        };
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private fold(recorded: RecordedEvent[]): LoadedConnection {
    const state = recorded.reduce(
      (s, e) => connectionDecider.evolve(s, { type: e.type, data: e.data } as ConnectionEvent),
      connectionDecider.initialState(),
    );
    const last = recorded.at(-1);
    return {
      state,
      revision: last ? last.revision : 'no_stream',
      created_at: recorded[0]?.metadata.occurred_at,
      updated_at: last?.metadata.occurred_at,
    };
  }
}
