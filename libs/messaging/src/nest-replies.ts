import { Catch, Logger, ValidationPipe, type ArgumentMetadata, type RpcExceptionFilter } from '@nestjs/common';
import { ServerNats, type CustomStrategy, type Serializer } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from 'nats';
import type { ValidationError } from 'class-validator';
import { of, type Observable } from 'rxjs';
import { ReplyError, errorReply, isErrorReply, type ErrorReply, type FieldError } from '@clp/contracts';
import { natsConnectionOptions, type NatsSettings } from './connection';
import { jsonLimitErrors } from './json-limits';
import { RawJson } from './raw-json';
import { memoizeValidationMetadata } from './validation-metadata';

interface ResponsePacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
  status?: string;
}

const encoder = new TextEncoder();
const CLOSE = Buffer.from('}}');

/**
 * The NATS transport's reply packets with the handler's value as `{ result }` (an error reply,
 * from the exception filter, passes as it is), a `RawJson` result spliced in unparsed, bytes as
 * bytes. Doing this here rather than in an interceptor also spares every reply the interceptor
 * chain's cost. The response is written last, where `Requester.requestRaw` finds it.
 */
export class ReplySerializer implements Serializer<ResponsePacket, { data: Uint8Array }> {
  serialize(packet: ResponsePacket): { data: Uint8Array } {
    const { response, ...rest } = packet;
    const head = JSON.stringify(rest);
    if (!('response' in packet)) return { data: encoder.encode(head) };
    const open = `${head.slice(0, -1)}${head === '{}' ? '' : ','}"response":`;
    if (response instanceof RawJson && typeof response.json !== 'string') {
      return { data: Buffer.concat([Buffer.from(`${open}{"result":`), response.json, CLOSE]) };
    }
    const reply =
      response instanceof RawJson ? `{"result":${response.json}}` : JSON.stringify(isErrorReply(response) ? response : { result: response });
    return { data: encoder.encode(`${open}${reply}}`) };
  }
}

/**
 * Nest's NATS server, for subjects. Nest looks every message's pattern up by first trying to
 * parse it as JSON (patterns may be objects); for a subject that parse fails, and the error it
 * throws, with its stack trace, cost a tenth of a query's time.
 */
export class NatsSubjectServer extends ServerNats {
  private inFlight = 0;
  private idle?: () => void;

  override getRouteFromPattern(pattern: string): string {
    return pattern.startsWith('{') ? super.getRouteFromPattern(pattern) : pattern;
  }

  override async handleMessage(channel: string, message: Msg): Promise<unknown> {
    this.inFlight++;
    try {
      return await super.handleMessage(channel, message);
    } finally {
      if (--this.inFlight === 0) this.idle?.();
    }
  }

  /**
   * A graceful stop: unsubscribe first, so the server sends new requests to the other replicas
   * at once; answer the requests already taken (for at most SHUTDOWN_GRACE_MS); then close. A
   * request sent while a replica stops never waits for its timeout.
   */
  override async close(): Promise<void> {
    const { subscriptions, natsClient } = this as unknown as { subscriptions: Subscription[]; natsClient: NatsConnection | null };
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // The last replies are still in the client's buffer: sent before it closes.
    await natsClient?.flush().catch(() => undefined);
    await super.close();
  }
}

/** How long a stopping service may take to answer the requests it has taken. */
export const SHUTDOWN_GRACE_MS = 15_000;

/** Options for `NestFactory.createMicroservice`: the NATS transport in the service's queue group. */
export const natsMicroserviceOptions = (settings: NatsSettings, queue: string): CustomStrategy => ({
  strategy: new NatsSubjectServer({ ...natsConnectionOptions(settings), queue, serializer: new ReplySerializer() }),
});

/**
 * Turns what a handler throws into a typed error reply. A `ReplyError` says what went wrong;
 * anything else is logged and answered as `unavailable` without its message.
 */
@Catch()
export class ReplyExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Replies');

  catch(exception: unknown): Observable<ErrorReply> {
    if (exception instanceof ReplyError) return of(exception.toReply());
    // The stack without its first line: an error's message may quote input, secrets included.
    const frames = (exception as Error)?.stack?.split('\n').slice(1).join('\n');
    this.logger.error(`unhandled ${(exception as Error)?.name ?? 'error'} while handling a request`, frames);
    return of(errorReply('unavailable', 'the service failed to handle the request'));
  }
}

/** Flattens class-validator's tree into `a.b.c: reasons`, the fields named in `validation_failed`. */
export const fieldErrors = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, reasons: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });

export const validationFailed = (fields: FieldError[]): ReplyError =>
  new ReplyError(
    'validation_failed',
    `invalid request: ${fields.map((f) => `${f.field} (${f.reasons.join('; ')})`).join(', ')}`,
    { fields },
  );

/**
 * Refuses what no store can keep (json-limits.ts): before the DTO sees it, and once more after,
 * for what its transforms decoded (a query parameter holding JSON).
 */
class LimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const before = jsonLimitErrors(value);
    if (before.length) throw validationFailed(before);
    const transformed: unknown = await super.transform(value, metadata);
    const after = transformed === value ? [] : jsonLimitErrors(transformed);
    if (after.length) throw validationFailed(after);
    return transformed;
  }
}

/**
 * Validates every message against its DTO: unknown fields are refused, not dropped, and so are
 * nesting past MAX_JSON_DEPTH and lone surrogates.
 */
export const replyValidationPipe = (): ValidationPipe => {
  memoizeValidationMetadata();
  return new LimitedValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
};
