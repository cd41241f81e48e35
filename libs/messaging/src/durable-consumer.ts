import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type JsMsg, type NatsConnection } from 'nats';
import { ReplyError } from '@clp/contracts';
import { isNotFound } from './streams';
import { incomingContext, type MessageContext } from './trace-headers';

export interface Delivery extends MessageContext {
  subject: string;
  /** The message's sequence in its stream. */
  seq: number;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

export interface DurableConsumerOptions<T> {
  stream: string;
  /** The durable name: replicas using the same name share the work. */
  durable: string;
  filterSubject?: string;
  handle(message: T, delivery: Delivery): Promise<void>;
  /** Decodes (and validates) the payload; throw a `ReplyError('validation_failed')` to refuse it. */
  decode?(data: Uint8Array): T;
  /** Messages handled at once by this replica; above 1, order across messages is not kept. */
  concurrency?: number;
  ackWaitMs?: number;
  maxDeliver?: number;
  /** Delay before a failed message is delivered again. */
  retryDelayMs?: number;
  logger?: Pick<Logger, 'warn' | 'error' | 'log'>;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

const jsonDecode = <T>(data: Uint8Array): T => {
  try {
    return JSON.parse(new TextDecoder().decode(data)) as T;
  } catch {
    throw new ReplyError('validation_failed', 'the message is not JSON');
  }
};

const isRefused = (error: unknown): boolean => error instanceof ReplyError && error.code === 'validation_failed';

/**
 * A durable JetStream consumer that acks a message only after its handler succeeded. A handler
 * that fails gets the message again later; a message that can never be handled (bad input) is
 * logged and terminated so it does not block the others. Survives NATS restarts.
 */
export const consumeDurable = async <T>(nc: NatsConnection, options: DurableConsumerOptions<T>): Promise<RunningConsumer> => {
  const logger = options.logger ?? new Logger(`consumer:${options.durable}`);
  const decode = options.decode ?? jsonDecode<T>;
  const concurrency = options.concurrency ?? 1;
  const jsm = await nc.jetstreamManager();
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_deliver: options.maxDeliver ?? -1,
    max_ack_pending: Math.max(concurrency * 4, 64),
    ...(options.filterSubject ? { filter_subject: options.filterSubject } : {}),
  };
  try {
    await jsm.consumers.info(options.stream, options.durable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(options.stream, config);
  }

  const handleOne = async (message: JsMsg): Promise<void> => {
    let payload: T;
    try {
      payload = decode(message.data);
    } catch (error) {
      logger.warn(`refused message ${message.seq} on ${message.subject}: ${(error as Error).message}`);
      message.term();
      return;
    }
    try {
      await options.handle(payload, {
        ...incomingContext(message.headers),
        subject: message.subject,
        seq: message.seq,
        deliveryCount: message.info.redeliveryCount,
      });
      // A plain ack: handlers are idempotent (a crash before the ack redelivers anyway), so the
      // server's confirmation would cost a reply per message and buy nothing.
      message.ack();
    } catch (error) {
      if (isRefused(error)) {
        logger.warn(`refused message ${message.seq} on ${message.subject}: ${(error as Error).message}`);
        message.term();
        return;
      }
      logger.error(`message ${message.seq} on ${message.subject} failed, will retry: ${(error as Error).message}`);
      message.nak(options.retryDelayMs ?? 1000);
    }
  };

  let stopped = false;
  let current: { close(): Promise<void | Error> } | undefined;
  const inFlight = new Set<Promise<void>>();
  let slotFreed: (() => void) | undefined;

  const run = async () => {
    while (!stopped) {
      try {
        const consumer = await nc.jetstream().consumers.get(options.stream, options.durable);
        // Short pull expiry: after a server restart the pull is renewed within seconds.
        const messages = await consumer.consume({ max_messages: Math.max(concurrency * 2, 16), expires: 5000 });
        current = messages;
        if (stopped) void messages.close();
        try {
          for await (const message of messages) {
            const task = handleOne(message).finally(() => {
              inFlight.delete(task);
              slotFreed?.();
            });
            inFlight.add(task);
            // One waiter for the next free slot (a race over every task in flight would cost
            // `concurrency` callbacks per message).
            if (inFlight.size >= concurrency) await new Promise<void>((resolve) => (slotFreed = resolve));
            slotFreed = undefined;
          }
        } finally {
          // An iterator that ended with an error still runs its heartbeat timer until closed.
          // (Not awaited: nats.js resolves close() only for an iterator that is still read.)
          void messages.close();
        }
      } catch (error) {
        if (stopped) break;
        logger.warn(`consumer ${options.durable} interrupted: ${(error as Error).message}; resuming`);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const loop = run();
  return {
    stop: async () => {
      stopped = true;
      void current?.close();
      await loop;
      await Promise.all(inFlight);
    },
  };
};
