import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionEvent, ConnectionView } from '@clp/contracts';
import { connectionDecider, type ConnectionCommand, type ConnectionState } from '@clp/connection-lifecycle';
import { EVENT_STORE, ExpectedRevisionConflict, toEnvelopes, type EventStore, type RecordedEvent } from '@clp/event-store';

export const connectionStream = (connectionId: string): string => `connection-${connectionId}`;

export interface LoadedConnection {
  state: ConnectionState;
  revision: bigint | 'no_stream';
  created_at?: string;
  updated_at?: string;
}

export interface TraceIds {
  correlation_id?: string;
  causation_id?: string | null;
  traceparent?: string;
}

const ATTEMPTS = 5;

/** The view of a connection that exists; deleted ones are not shown. */
export const viewOf = (loaded: LoadedConnection): ConnectionView | undefined => {
  const { state } = loaded;
  if (state.status === 'none' || state.status === 'deleted') return undefined;
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
   * `isNew`: the caller just reserved this id, so the stream is almost surely empty; decide on the
   * initial state without reading, and read only if the append finds the stream exists.
   */
  async execute(
    connectionId: string,
    command: ConnectionCommand,
    trace: TraceIds = {},
    { isNew = false } = {},
  ): Promise<LoadedConnection & { changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const loaded: LoadedConnection =
        isNew && attempt === 1 ? { state: connectionDecider.initialState(), revision: 'no_stream' } : await this.load(connectionId);
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
