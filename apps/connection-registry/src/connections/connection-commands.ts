import { Inject, Injectable } from '@nestjs/common';
import type { Actor, AssignedEnvironment, ConnectionEvent, ConnectionView } from '@clp/contracts';
import { connectionIdOf } from '@clp/connection-definitions';
import { connectionDecider, type ConnectionCommand, type ConnectionState } from '@clp/connection-lifecycle';
import { COMMAND_ATTEMPTS, EVENT_STORE, ExpectedRevisionConflict, pauseAfterConflict, stillConflicting, toEnvelopes, type EventStore, type RecordedEvent } from '@clp/event-store';

export const connectionStream = (connectionId: string): string => `connection-${connectionId}`;

export interface LoadedConnection {
  state: ConnectionState;
  revision: bigint | 'no_stream';
  created_at?: string;
  updated_at?: string;
  /** The user whose command created it (null: the system discovered it). */
  user_id?: string | null;
}

export type Executed = LoadedConnection & { changed: boolean };

export interface TraceIds {
  correlation_id?: string;
  causation_id?: string | null;
  traceparent?: string;
}

/** Connections whose last known state a replica keeps (a few KB each), least recently used out first. */
const RECENT_KEPT = 10_000;

const userOf = (actor: Actor): string | null => (actor.type === 'user' ? actor.id : null);

/**
 * The view of a connection that exists, as the read model's document has it (apply-events.lua);
 * deleted ones are not shown, except to the deleting command. The stream does not know the
 * environments: the caller passes them from the read model.
 */
export const viewOf = (
  loaded: LoadedConnection,
  { includeDeleted = false, environments = [] as AssignedEnvironment[] } = {},
): ConnectionView | undefined => {
  const { state } = loaded;
  if (state.status === 'none' || (state.status === 'deleted' && !includeDeleted)) return undefined;
  const { identity: _identity, disconnected_by: _by, connection_id, tags, ...view } = state;
  return {
    id: connection_id,
    ...view,
    tags: tags ?? [],
    user_id: loaded.user_id ?? null,
    created_at: loaded.created_at ?? '',
    updated_at: loaded.updated_at ?? '',
    deleted_at: state.status === 'deleted' ? (loaded.updated_at ?? null) : null,
    environments: state.status === 'deleted' ? [] : environments,
  };
};

/**
 * Runs a command against one connection: load its stream, decide, append at the revision it
 * was decided on. Another replica deciding at the same time makes the append fail; the command
 * is then decided again on the newer state.
 */
@Injectable()
export class ConnectionCommands {
  private readonly recent = new Map<string, LoadedConnection>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The connection as its stream has it now. One this replica saw recently costs one request
   * (its last revision) while it has not changed, and a read of the newer events when it has.
   */
  async load(connectionId: string): Promise<LoadedConnection> {
    const stream = connectionStream(connectionId);
    const known = this.recent.get(connectionId);
    let loaded: LoadedConnection;
    if (known && known.revision !== 'no_stream') {
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      if (last?.revision === known.revision) return known;
      loaded = last ? this.fold(await this.store.readStream(stream, { fromRevision: known.revision + 1n }), known) : this.fold([]);
    } else {
      loaded = this.fold(await this.store.readStream(stream));
    }
    this.remember(connectionId, loaded);
    return loaded;
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

  /** The resource's live connection (any status but deleted), or undefined when it has none. */
  async liveForFingerprint(fingerprint: string): Promise<(LoadedConnection & { connection_id: string }) | undefined> {
    for (let generation = 0; ; generation++) {
      const connection_id = connectionIdOf(fingerprint, generation);
      const loaded = await this.load(connection_id);
      if (loaded.state.status === 'none') return undefined;
      if (loaded.state.status !== 'deleted') return { ...loaded, connection_id };
    }
  }

  /** `decidedOn`: the connection as the caller just loaded it, to decide the first attempt on. */
  async execute(connectionId: string, command: ConnectionCommand, trace: TraceIds = {}, decidedOn?: LoadedConnection): Promise<Executed> {
    // Never undefined: only `unlessDeleted` answers so.
    return (await this.run(connectionId, command, trace, { assumeNew: false, unlessDeleted: false, decidedOn })) as Executed;
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
    options: { assumeNew: boolean; unlessDeleted: boolean; decidedOn?: LoadedConnection },
  ): Promise<Executed | undefined> {
    for (let attempt = 1; ; attempt++) {
      const loaded: LoadedConnection =
        attempt > 1
          ? await this.load(connectionId)
          : options.assumeNew
            ? { state: connectionDecider.initialState(), revision: 'no_stream' }
            : (options.decidedOn ?? (await this.load(connectionId)));
      if (options.unlessDeleted && loaded.state.status === 'deleted') return undefined;
      // A refusal or a no-op appends nothing, so no revision check catches a state that another
      // replica has changed since it was loaded: such an answer is given only on the current state.
      const current = async () => attempt > 1 || options.assumeNew || (await this.isCurrent(connectionId, loaded));
      let events: ConnectionEvent[];
      try {
        events = connectionDecider.decide(command, loaded.state);
      } catch (error) {
        if (await current()) throw error;
        continue;
      }
      if (events.length === 0) {
        if (await current()) return { ...loaded, changed: false };
        continue;
      }
      try {
        const { nextExpectedRevision } = await this.store.appendToStream(
          connectionStream(connectionId),
          toEnvelopes(events, { ...command.metadata, ...trace }),
          { expectedRevision: loaded.revision },
        );
        const stored: LoadedConnection = {
          state: events.reduce(connectionDecider.evolve, loaded.state),
          revision: nextExpectedRevision,
          created_at: loaded.created_at ?? command.metadata.now,
          updated_at: command.metadata.now,
          user_id: loaded.revision === 'no_stream' ? userOf(command.metadata.actor) : loaded.user_id,
        };
        this.remember(connectionId, stored);
        return { ...stored, changed: true };
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        if (attempt >= COMMAND_ATTEMPTS) throw stillConflicting();
        await pauseAfterConflict(attempt);
      }
    }
  }

  /** The events folded onto `from` (the initial state when absent). */
  private fold(recorded: RecordedEvent[], from?: LoadedConnection): LoadedConnection {
    const state = recorded.reduce(
      (s, e) => connectionDecider.evolve(s, { type: e.type, data: e.data } as ConnectionEvent),
      from?.state ?? connectionDecider.initialState(),
    );
    const last = recorded.at(-1);
    return {
      state,
      revision: last ? last.revision : (from?.revision ?? 'no_stream'),
      created_at: from?.created_at ?? recorded[0]?.metadata.occurred_at,
      updated_at: last?.metadata.occurred_at ?? from?.updated_at,
      user_id: from ? from.user_id : recorded[0] ? userOf(recorded[0].metadata.actor) : undefined,
    };
  }

  private async isCurrent(connectionId: string, loaded: LoadedConnection): Promise<boolean> {
    const [last] = await this.store.readStream(connectionStream(connectionId), { direction: 'backwards', maxCount: 1 });
    return (last?.revision ?? 'no_stream') === loaded.revision;
  }

  private remember(connectionId: string, loaded: LoadedConnection): void {
    if (loaded.revision === 'no_stream') return;
    this.recent.delete(connectionId);
    this.recent.set(connectionId, loaded);
    if (this.recent.size > RECENT_KEPT) this.recent.delete(this.recent.keys().next().value as string);
  }
}
