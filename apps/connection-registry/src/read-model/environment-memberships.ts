import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS } from '@clp/contracts';
import { batchesOf } from '@clp/event-store';
import { ensureStream } from '@clp/messaging';
import { NATS_CONNECTION } from '../registry-runtime';
import { READ_MODEL_PREFIX, REDIS, parseReadModelPrefix, script } from './connection-read-model';
import { luaScript, type LuaScript } from './lua-script';

const STREAM = INTEGRATION_STREAMS.environments;
/** What the script answers when the memberships' checkpoint vanished under a running reader. */
const LOST = -1;
/** How often an idle reader looks whether Redis still holds its checkpoint. */
const CHECK_EVERY_MS = 2000;
const APPLY = script('apply-environment-events.lua');

/** Where the memberships live: beside the versioned read model, under its namespace. */
export const membershipPrefix = (readModelPrefix: string): string => `${parseReadModelPrefix(readModelPrefix).namespace}environments:`;

interface Message {
  seq: number;
  type: string;
  data: unknown;
}

const decoder = new TextDecoder();

const stringsOf = (value: unknown, fields: string[]): Record<string, string> =>
  Object.fromEntries(fields.flatMap((field) => {
    const v = (value as Record<string, unknown> | null)?.[field];
    return typeof v === 'string' ? [[field, v]] : [];
  }));

/**
 * A message's event, or a no-op that still moves the checkpoint past it (nothing here can fail on
 * it). Only the string fields the script reads are passed on: an environment's metadata, however
 * deep, never reaches Redis's cjson.
 */
const messageOf = (seq: number, payload: Uint8Array): Message => {
  try {
    const event = JSON.parse(decoder.decode(payload)) as { type?: unknown; data?: { changes?: unknown } };
    if (typeof event.type === 'string' && typeof event.data === 'object' && event.data !== null) {
      const data = { ...stringsOf(event.data, ['environment_id', 'connection_id', 'name']), changes: stringsOf(event.data.changes, ['name']) };
      return { seq, type: event.type, data };
    }
  } catch {
    // not JSON: skipped below
  }
  return { seq, type: 'NotAnEnvironmentEvent', data: {} };
};

/**
 * The environments each connection shows (`environments: [{id, name}]`): ENVIRONMENT_EVENTS
 * after the memberships' checkpoint, in order, then live, through an ordered consumer (nothing
 * acknowledged, nothing left on the server). Every replica runs it; the checkpoint makes a batch
 * another replica applied a no-op, and a Redis without it starts again from the stream's start.
 */
@Injectable()
export class EnvironmentMemberships implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EnvironmentMemberships.name);
  private readonly prefix: string;
  private readonly apply: LuaScript;
  private stopped = false;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(READ_MODEL_PREFIX) readModelPrefix: string,
  ) {
    this.prefix = membershipPrefix(readModelPrefix);
    this.apply = luaScript(redis, 'registryApplyEnvironmentEvents', APPLY);
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // nats.js resolves close() only when the iterator is read again: not awaited.
    void this.messages?.close();
    await this.loop;
  }

  private lost(messages: ConsumerMessages): void {
    this.logger.warn('environment memberships gone from Redis: rebuilding them from the stream');
    void messages.close();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await ensureStream(await this.nc.jetstreamManager(), STREAM);
        const last = Number((await this.redis.get(`${this.prefix}checkpoint`)) ?? 0);
        let seen = last;
        const consumer = await this.nc.jetstream().consumers.get(STREAM.name, {
          ...(last > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 } : {}),
        });
        this.messages = await consumer.consume({ max_messages: 1024 });
        if (this.stopped) void this.messages.close();
        const messages = this.messages;
        const decoded = (async function* () {
          for await (const message of messages) yield messageOf(message.seq, message.data);
        })();
        // Redis emptied while nothing arrives: seen by a look now and then, as the script sees it
        // when something does. Either way the reader starts again, from the stream's start.
        const watch = setInterval(() => {
          if (seen === 0) return;
          void this.redis.exists(`${this.prefix}checkpoint`).then(
            (found) => found === 0 && this.lost(messages),
            () => undefined,
          );
        }, CHECK_EVERY_MS);
        try {
          for await (const batch of batchesOf(decoded, 500)) {
            if (this.stopped) break;
            // seq first: the script reads it without decoding (a dead letter is kept by it).
            const answer = (await this.apply(this.prefix, seen, ...batch.map(({ seq, ...rest }) => JSON.stringify({ seq, ...rest })))) as number | [number, ...string[]];
            if (answer === LOST) {
              this.lost(messages);
              break;
            }
            const dead = Array.isArray(answer) ? answer.slice(1) : [];
            for (let i = 0; i < dead.length; i += 3) {
              this.logger.error(`dead letter: ${dead[i + 1]} at ${STREAM.name} sequence ${dead[i]} cannot be applied to the environment memberships, skipped: ${dead[i + 2]}`);
            }
            seen = batch.at(-1)?.seq ?? seen;
          }
        } finally {
          clearInterval(watch);
          void messages.close();
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`environment memberships interrupted, resuming from their checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
