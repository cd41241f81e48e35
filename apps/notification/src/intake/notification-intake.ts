import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, parseConnectionEvent, ReplyError, type AnyIntegrationEvent } from '@clp/contracts';
import { consumeDurable, ensureStream, type RunningConsumer } from '@clp/messaging';
import { NATS_CONNECTION, NotificationLog } from '../log/notification-log';
import { ENVIRONMENT_EVENT_TYPES, notificationOf } from '../notifications/notification-of';
import { NotificationStore, STORE_SETTINGS, type StoreSettings } from '../store/notification-store';

export { NATS_CONNECTION } from '../log/notification-log';
export const INTAKE_SETTINGS = Symbol('INTAKE_SETTINGS');

export interface IntakeSettings {
  /** How often notifications past the retention are dropped. */
  trimIntervalMs: number;
}

/** Durable consumer names, shared by the replicas (one per stream: NATS 2.9 takes one filter per consumer). */
export const CONSUMERS = { connections: 'notification-connection-events', environments: 'notification-environment-events' } as const;

// A handler takes milliseconds: after a crash, what the dead replica held comes back within seconds.
const ACK_WAIT_MS = 10_000;

const parseEnvironmentEvent = (data: Uint8Array): AnyIntegrationEvent => {
  let event: AnyIntegrationEvent;
  try {
    event = JSON.parse(new TextDecoder().decode(data)) as AnyIntegrationEvent;
  } catch {
    throw new ReplyError('validation_failed', 'the message is not JSON');
  }
  if (!ENVIRONMENT_EVENT_TYPES.includes(event?.type) || typeof event.metadata?.event_id !== 'string') {
    throw new ReplyError('validation_failed', `not an environment event: ${String(event?.type)}`);
  }
  return event;
};

const refusing = (decode: (data: Uint8Array) => AnyIntegrationEvent) => (data: Uint8Array) => {
  try {
    return decode(data);
  } catch (error) {
    throw error instanceof ReplyError ? error : new ReplyError('validation_failed', (error as Error).message);
  }
};

/**
 * The notification center's intake: a durable consumer per integration stream turns each event
 * into at most one notification (its id is the event id) and appends it to the NOTIFICATIONS
 * stream; the source message is acked only after the server acked that. The projection
 * (NotificationLog) stores it in Redis and publishes it live. One message at a time per replica.
 * Nothing is kept in memory between messages.
 */
@Injectable()
export class NotificationIntake implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationIntake.name);
  private consumers: RunningConsumer[] = [];
  private trimTimer?: NodeJS.Timeout;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly store: NotificationStore,
    private readonly log: NotificationLog,
    @Inject(STORE_SETTINGS) private readonly storeSettings: StoreSettings,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    // The relays create these streams too; whichever service starts first does.
    await ensureStream(jsm, INTEGRATION_STREAMS.connections);
    await ensureStream(jsm, INTEGRATION_STREAMS.environments);
    this.consumers = [
      await consumeDurable(this.nc, {
        stream: INTEGRATION_STREAMS.connections.name,
        durable: CONSUMERS.connections,
        decode: refusing(parseConnectionEvent),
        handle: (event) => this.handle(event),
        ackWaitMs: ACK_WAIT_MS,
        logger: this.logger,
      }),
      await consumeDurable(this.nc, {
        stream: INTEGRATION_STREAMS.environments.name,
        durable: CONSUMERS.environments,
        decode: parseEnvironmentEvent,
        handle: (event) => this.handle(event),
        ackWaitMs: ACK_WAIT_MS,
        logger: this.logger,
      }),
    ];
    this.trimTimer = setInterval(() => void this.trim(), this.settings.trimIntervalMs);
    this.trimTimer.unref();
    void this.trim();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.trimTimer);
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  async handle(event: AnyIntegrationEvent): Promise<void> {
    const notification = notificationOf(event);
    // An event older than the retention would be dropped at the next trim (and its id is no
    // longer remembered): a consumer reading old history makes nothing of it.
    if (!notification || Date.parse(notification.created_at) < Date.now() - this.storeSettings.retentionMs) return;
    await this.log.stored(notification);
  }

  private async trim(): Promise<void> {
    try {
      // Once per Redis: notifications from before the filter indexes existed join them.
      await this.store.backfill();
      const removed = await this.store.trim(Date.now());
      if (removed > 0) this.logger.log(`dropped ${removed} notifications past the retention`);
    } catch (error) {
      this.logger.warn(`retention trim failed, will retry: ${(error as Error).message}`);
    }
  }
}
