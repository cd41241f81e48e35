import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ConsumerMessages, NatsConnection } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS, parseConnectionEvent, type ConnectionEvent, type IntegrationEvent } from '@clp/contracts';
import { connectionDecider, type Connection, type ConnectionState } from '@clp/connection-lifecycle';
import { ensureStream } from '@clp/messaging';
import { NATS_CONNECTION } from '../discovery-feature';

const SUBJECT = connectionEventSubject('kubernetes', '*');

interface Known {
  state: ConnectionState;
  revision: bigint;
  /** Ids of the events applied at `revision` (a commit's events share it). */
  applied: Set<string>;
}

/**
 * The Kubernetes connections as `CONNECTION_EVENTS` tells them, folded by the lifecycle's own
 * `evolve`: what the cluster scan reads to know which clusters are connected, in every
 * organization, and how to reach them. Each replica keeps its own, replayed from the start of the
 * stream (Kubernetes subjects only) by an ordered consumer.
 */
@Injectable()
export class KubernetesClusters implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('cluster-scan');
  private readonly known = new Map<string, Known>();
  private messages?: ConsumerMessages;
  private markCaughtUp!: () => void;
  private readonly caughtUp = new Promise<void>((resolve) => (this.markCaughtUp = resolve));

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationBootstrap(): Promise<void> {
    const stream = INTEGRATION_STREAMS.connections;
    const jsm = await this.nc.jetstreamManager();
    await ensureStream(jsm, stream);
    const info = await jsm.streams.info(stream.name, { subjects_filter: SUBJECT });
    if (Object.values(info.state.subjects ?? {}).every((count) => count === 0)) this.markCaughtUp();
    // A string filter: nats-server 2.9 knows `filter_subject` only.
    const consumer = await this.nc.jetstream().consumers.get(stream.name, { filterSubjects: SUBJECT });
    this.messages = await consumer.consume();
    void this.follow(this.messages);
  }

  onModuleDestroy(): void {
    // Not awaited: nats.js resolves the close of an iterator only when it is read again.
    void this.messages?.close();
  }

  /** Resolves once the events stored before start-up are applied, or after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.caughtUp, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** The connected clusters, of one organization or of all. */
  connected(organizationId?: string): Connection[] {
    const clusters: Connection[] = [];
    for (const { state } of this.known.values()) {
      if (state.status === 'connected' && (organizationId === undefined || state.organization_id === organizationId)) clusters.push(state);
    }
    return clusters;
  }

  apply(event: IntegrationEvent<ConnectionEvent>): void {
    const id = event.data.connection_id;
    const revision = BigInt(event.revision);
    const known = this.known.get(id) ?? { state: connectionDecider.initialState(), revision: -1n, applied: new Set<string>() };
    // The relay may publish an event again (after its duplicate window): apply each once, in order.
    if (revision < known.revision || (revision === known.revision && known.applied.has(event.metadata.event_id))) return;
    const state = connectionDecider.evolve(known.state, event);
    const applied = revision === known.revision ? known.applied.add(event.metadata.event_id) : new Set([event.metadata.event_id]);
    this.known.set(id, { state, revision, applied });
  }

  private async follow(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) {
        try {
          this.apply(parseConnectionEvent(message.data) as IntegrationEvent<ConnectionEvent>);
        } catch (error) {
          this.logger.warn(`skipped message ${message.seq} on ${message.subject}: ${(error as Error).message}`);
        }
        if (message.info.pending === 0) this.markCaughtUp();
      }
    } catch (error) {
      this.logger.error(`stopped following ${INTEGRATION_STREAMS.connections.name}: ${(error as Error).message}`);
    }
  }
}
