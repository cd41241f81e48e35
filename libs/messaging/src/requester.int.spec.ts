import 'reflect-metadata';
import { Controller, Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import type { NatsConnection } from 'nats';
import { ReplyError } from '@clp/contracts';
import { startNats, type TestServer } from '@clp/testing';
import { connectNats } from './connection';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe } from './nest-replies';
import { RawJson } from './raw-json';
import { Requester } from './requester';

class EchoRequest {
  @IsString()
  @MaxLength(10)
  name!: string;

  @IsOptional()
  @IsInt()
  count?: number;
}

let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));

@Controller()
class TestController {
  @MessagePattern('test.cmd.echo')
  echo(@Payload() request: EchoRequest, @Ctx() ctx: NatsContext) {
    const h = ctx.getHeaders();
    return { name: request.name, correlation_id: h?.get('Correlation-Id'), traceparent: h?.get('traceparent') };
  }

  /** Bytes, as a read model answers a page (UTF-8 included). */
  @MessagePattern('test.cmd.page')
  page(@Payload() request: EchoRequest) {
    return new RawJson(Buffer.from(JSON.stringify({ items: [request.name, 'Zürich ✓'], total_count: request.count ?? 0 })));
  }

  @MessagePattern('test.cmd.missing')
  missing() {
    throw new ReplyError('not_found', 'no such thing', { id: 'x' });
  }

  @MessagePattern('test.cmd.crash')
  crash() {
    throw new Error('password=hunter2 in an internal message');
  }

  @MessagePattern('test.cmd.slow')
  async slow() {
    await gate;
    return { late: true };
  }
}

@Module({ controllers: [TestController] })
class TestModule {}

describe('typed request/reply to a NestJS service over a real nats-server', () => {
  let server: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let requester: Requester;

  beforeAll(async () => {
    server = await startNats();
    app = await NestFactory.createMicroservice(TestModule, { ...natsMicroserviceOptions({ servers: server.url, name: 'test' }, 'test'), logger: false });
    app.useGlobalPipes(replyValidationPipe());
      app.useGlobalFilters(new ReplyExceptionFilter());
    await app.listen();
    nc = await connectNats({ servers: server.url, name: 'client' });
    requester = new Requester(nc, { timeoutMs: 2000 });
  });

  afterAll(async () => {
    release();
    await nc.close();
    await app.close();
    await server.stop();
  });

  it('replies with the result, carrying the correlation id and the trace context in headers', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const active = trace.setSpanContext(context.active(), { traceId, spanId: 'b7ad6b7169203331', traceFlags: 1 });
    const reply = await context.with(active, () => requester.send('test.cmd.echo', { name: 'ada' }, { correlation_id: 'corr-1' }));
    expect(reply).toEqual({
      result: { name: 'ada', correlation_id: 'corr-1', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
  });

  it('refuses bad input with validation_failed naming each field, and never echoes the values', async () => {
    const reply = await requester.send('test.cmd.echo', { name: 'far-too-long-name', count: 'x', extra: 'secret-value' });
    expect(reply).toMatchObject({ error: { code: 'validation_failed' } });
    const fields = (reply as unknown as { error: { details: { fields: Array<{ field: string }> } } }).error.details.fields.map((f) => f.field);
    expect(fields.sort()).toEqual(['count', 'extra', 'name']);
    expect(JSON.stringify(reply)).not.toContain('secret-value');
  });

  it('hands a result over still serialized when asked, and an error reply read', async () => {
    const options = { correlation_id: 'c-raw' };
    const raw = (await requester.requestRaw('test.cmd.echo' as never, { name: 'raw', count: 2 } as never, options)) as { result: RawJson };
    expect(raw.result).toBeInstanceOf(RawJson);
    expect(JSON.parse(raw.result.json.toString())).toEqual(((await requester.send('test.cmd.echo', { name: 'raw', count: 2 }, options)) as { result: unknown }).result);
    expect(await requester.requestRaw('test.cmd.missing' as never, {} as never)).toEqual({ error: { code: 'not_found', message: 'no such thing', details: { id: 'x' } } });
  });

  it('hands bytes a handler answered over as those bytes, and reads them whole when asked to', async () => {
    const raw = (await requester.requestRaw('test.cmd.page' as never, { name: 'p', count: 3 } as never)) as { result: RawJson };
    expect(Buffer.isBuffer(raw.result.json)).toBe(true);
    const expected = { items: ['p', 'Zürich ✓'], total_count: 3 };
    expect(raw.result.json.toString()).toBe(JSON.stringify(expected));
    expect(await requester.send('test.cmd.page', { name: 'p', count: 3 })).toEqual({ result: expected });
  });

  it('passes a typed error through', async () => {
    expect(await requester.send('test.cmd.missing', {})).toEqual({ error: { code: 'not_found', message: 'no such thing', details: { id: 'x' } } });
  });

  it('answers an unexpected failure as unavailable, without its message in the reply or the log', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const reply = await requester.send('test.cmd.crash', {});
    expect(reply).toMatchObject({ error: { code: 'unavailable' } });
    expect(JSON.stringify(reply)).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledWith('unhandled Error while handling a request', expect.stringContaining('requester.int.spec.ts'));
    expect(JSON.stringify(logged.mock.calls)).not.toContain('hunter2');
    logged.mockRestore();
  });

  it('is unavailable when nobody serves the subject', async () => {
    expect(await requester.send('test.cmd.nobody', {})).toMatchObject({ error: { code: 'unavailable', message: 'no service answers test.cmd.nobody' } });
  });

  it('is unavailable, not a hang, when the service does not answer in time', async () => {
    const reply = await requester.send('test.cmd.slow', {}, { timeoutMs: 300 });
    expect(reply).toMatchObject({ error: { code: 'unavailable', details: { timeout_ms: 300 } } });
  });
});
