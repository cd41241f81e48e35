/**
 * The list route's floor on this machine, for `bench:query`: the same hops as the product
 * (HTTP → NATS request → Redis script → NATS reply → HTTP), with the registry's own read-model
 * code and the gateway's HTTP server and reply inbox, and nothing else: no NestJS, no validation,
 * no authentication, no headers. Not a service: a measuring stick. `FLOOR_ROLE` picks the half:
 *
 * - `responder`: answers `FLOOR_SUBJECT` with `ConnectionReadModel.list` (the same script, the
 *   same bytes path);
 * - `http`: Fastify on `PORT`, `GET /floor/connections?status=[…]&kind=[…]&pagesize=N` asks it.
 */
import Fastify from 'fastify';
import Redis from 'ioredis';
import { connect, JSONCodec } from 'nats';
import { RawJson, ReplyInbox } from '@clp/messaging';
import { ConnectionReadModel } from '../../apps/connection-registry/src/read-model/connection-read-model';

const { FLOOR_ROLE, FLOOR_SUBJECT = 'floor.list', NATS_URL, REDIS_URL, READ_MODEL_PREFIX = 'registry:v1:', ORG = 'org-bench', PORT = '0' } = process.env;

interface FloorQuery {
  status: string[];
  kind: string[];
  pagesize: number;
}

const codec = JSONCodec<FloorQuery>();

const responder = async () => {
  const nc = await connect({ servers: NATS_URL });
  const readModel = new ConnectionReadModel(new Redis(REDIS_URL as string), READ_MODEL_PREFIX);
  nc.subscribe(FLOOR_SUBJECT, {
    queue: 'floor',
    callback: (error, message) => {
      if (error) return;
      const { status, kind, pagesize } = codec.decode(message.data);
      void readModel.list(ORG, { page: 0, pagesize, order: 'updated', direction: 'desc', status, kind }).then((page: RawJson) => message.respond(page.json as Buffer));
    },
  });
  await nc.flush();
  console.log('floor responder ready');
};

const http = async () => {
  const inbox = new ReplyInbox(await connect({ servers: NATS_URL }));
  const app = Fastify();
  app.get('/floor/connections', async (request, reply) => {
    const query = request.query as Record<string, string>;
    const payload = { status: JSON.parse(query.status), kind: JSON.parse(query.kind), pagesize: Number(query.pagesize) };
    const answer = await inbox.request(FLOOR_SUBJECT, codec.encode(payload), { timeoutMs: 5000 });
    reply.type('application/json; charset=utf-8');
    return Buffer.from(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength);
  });
  await app.listen({ port: Number(PORT), host: '127.0.0.1' });
  console.log('floor http ready');
};

(FLOOR_ROLE === 'responder' ? responder() : http()).catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
