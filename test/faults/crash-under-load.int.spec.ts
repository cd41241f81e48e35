import { randomUUID } from 'node:crypto';
import { connect, nanos, type JsMsg, type NatsConnection } from 'nats';
import { HEADERS, INTEGRATION_STREAMS } from '@clp/contracts';
import { credentialsInUrl } from '@clp/messaging';
import { KUBECONFIG_TOKEN, startKubernetesApi, waitFor, type KubernetesApiStandIn } from '@clp/testing';
import { startSystem, type HttpReply, type RunningSystem } from '../e2e/system.fixtures';

// Issue 13, item 1: kill -9 of each service in turn, and of nats-server, under a bounded mixed
// load over HTTP; then, from the outside, nothing acknowledged is lost and nothing is duplicated.
// Kubeconfig imports go to a stand-in Kubernetes API (libs/testing: no real one runs here).
const ORG = 'org-faults';
const admin = { organization_id: ORG, role: 'admin' as const };
const viewer = { organization_id: ORG, role: 'viewer' as const };

const CONNECTIONS = '/api/integrations/connections';
const ENVIRONMENTS = '/api/environments';
const EVENTS = '/api/system/events';
const KUBERNETES = '/api/system/kubernetes';
/** The kubeconfig every import sends: one context, whose cluster (the stand-in) accepts its token. */
const kubeconfigFor = (api: KubernetesApiStandIn) => `apiVersion: v1
kind: Config
clusters:
- name: faults
  cluster: {server: "${api.url}", certificate-authority-data: ${Buffer.from(api.certificates.ca).toString('base64')}}
contexts:
- name: faults-cluster
  context: {cluster: faults, user: faults}
users:
- name: faults
  user: {token: ${KUBECONFIG_TOKEN}}
`;

const WORKERS = 4;
/** The load goes on until every fault has been injected and at least this many operations were acknowledged… */
const MIN_ACKNOWLEDGED = 400;
/** …and never beyond this many operations. */
const MAX_OPERATIONS = 4000;
/** Connections each worker creates at most; then it transitions and assigns those it has. */
const CONNECTIONS_PER_WORKER = 50;
/** A client's pause after a failed request before its next (as any client backs off; not a wait for a condition). */
const FAILURE_BACKOFF_MS = 100;
/**
 * The integration streams' duplicate window, shortened from JetStream's 2 minutes so that, within the
 * suite's run, a re-publication of old events (a relay that lost its checkpoint) is not absorbed by
 * the bus and shows as a duplicate. Far longer than a restart, whose last batch is re-published.
 */
const DUPLICATE_WINDOW_MS = 30_000;
/** Operations the load makes while a killed process is down, before it is started again. */
const OPERATIONS_WHILE_DOWN = 10;
/** How long the system may take to come quiet, and each check to hold, after the load. */
const SETTLE_MS = 60_000;

/** The statuses a person may move a connection to from each (design.md §6.2), without deletion. */
const NEXT: Record<string, string[]> = {
  registered: ['connected', 'ignored', 'maintenance'],
  connected: ['maintenance', 'disconnected'],
  maintenance: ['connected', 'disconnected'],
  disconnected: ['connected'],
  ignored: ['registered'],
};
/** How a connection's history begins: registered by a person, or discovered (a kubeconfig import). */
const FIRST = ['ConnectionRegistered', 'ConnectionDiscovered'];
const NOTIFIED = [...FIRST, 'StatusChanged'];

interface StoredEvent {
  type: string;
  revision: number;
  event_id: string;
  data: { organization_id?: string; connection_id?: string; status?: string; from?: string; to?: string };
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

describe('kill -9 of each service and of nats-server under a mixed load (faults: real processes)', () => {
  let system: RunningSystem;
  let nc: NatsConnection | undefined;
  let kubernetes: KubernetesApiStandIn | undefined;
  let kubeconfig = '';
  const environments: string[] = [];

  // What the load did: acknowledged operations happened; the others may or may not have.
  const acknowledgedCreates = new Map<string, string>();
  const acknowledgedAssignments: Array<{ environment: string; connection: string }> = [];
  /** The connection each acknowledged kubeconfig import answered for its one context. */
  const importedConnections: string[] = [];
  const counts = { attempted: 0, acknowledged: 0, failed: 0 };
  const outcomes: Record<string, number> = {};
  /** The first answer of each failed outcome, for the log. */
  const failureSamples: Record<string, string> = {};
  const faults: string[] = [];

  beforeAll(async () => {
    kubernetes = await startKubernetesApi({ token: KUBECONFIG_TOKEN });
    kubeconfig = kubeconfigFor(kubernetes);
    // Discovery imports kubeconfigs; no health monitor or scans: statuses change only by the load.
    system = await startSystem({ discovery: { HEALTH_MONITOR: 'off', SCAN_INTERVAL_MS: '0' } });
    nc = await connect({ ...credentialsInUrl(system.nats.url), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const jsm = await nc.jetstreamManager();
    for (const { name } of [INTEGRATION_STREAMS.connections, INTEGRATION_STREAMS.environments]) {
      const { config } = await waitFor(() => jsm.streams.info(name), { timeoutMs: 30_000, message: `${name} created by its relay` });
      await jsm.streams.update(name, { ...config, duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
    }
    for (const name of ['faults-a', 'faults-b', 'faults-c']) {
      const created = await system.http('POST', ENVIRONMENTS, { as: admin, body: { name } });
      expect(created.status).toBe(201);
      environments.push(created.body.id);
    }
  }, 180_000);

  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    await kubernetes?.close();
  });

  /** One operation of the load: acknowledged when the answer is a 2xx, failed on anything else. */
  const operation = async (name: string, method: string, path: string, body?: unknown, as: typeof admin | typeof viewer = admin) => {
    counts.attempted++;
    let outcome: string;
    let reply: HttpReply | undefined;
    try {
      reply = await system.http(method, path, { as, body });
      outcome = String(reply.status);
    } catch (error) {
      outcome = (error as { cause?: { code?: string } }).cause?.code ?? 'network error';
    }
    const key = `${name} ${outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    const ok = reply !== undefined && reply.status >= 200 && reply.status < 300;
    counts[ok ? 'acknowledged' : 'failed']++;
    if (!ok && reply) failureSamples[key] ??= reply.text.slice(0, 300);
    if (!ok) await new Promise((resolve) => setTimeout(resolve, FAILURE_BACKOFF_MS));
    return ok ? reply : undefined;
  };

  const worker = async (index: number, done: () => boolean) => {
    const mine: string[] = [];
    const assigned = new Set<string>();
    while (!done()) {
      const roll = Math.random();
      if (mine.length < 2 || (roll < 0.3 && mine.length < CONNECTIONS_PER_WORKER)) {
        const name = `faults-${index}-${randomUUID().slice(0, 8)}`;
        const reply = await operation('create', 'POST', CONNECTIONS, {
          kind: 'github',
          name,
          skip_connectivity_test: true,
          metadata: { url: 'https://github.com', owner: 'clp', repository: name },
        });
        if (reply) {
          acknowledgedCreates.set(name, reply.body.id);
          mine.push(reply.body.id);
        }
      } else if (roll < 0.65) {
        const id = pick(mine);
        const current = await operation('read', 'GET', `${CONNECTIONS}/${id}`, undefined, viewer);
        const next = current && NEXT[current.body.status as string];
        if (next) await operation('transition', 'PUT', `${CONNECTIONS}/${id}`, { status: pick(next), skip_connectivity_test: true });
      } else if (roll < 0.85) {
        const [environment, connection] = [pick(environments), pick(mine)];
        if (assigned.has(`${environment}/${connection}`)) continue;
        if (await operation('assign', 'POST', `${ENVIRONMENTS}/${environment}/connections/${connection}`)) {
          assigned.add(`${environment}/${connection}`);
          acknowledgedAssignments.push({ environment, connection });
        }
      } else if (roll < 0.9) {
        const reply = await operation('import', 'POST', KUBERNETES, { kubeconfig });
        if (reply) importedConnections.push(...[...reply.body.connected, ...reply.body.registered].map((entry: { id: string }) => entry.id));
      } else {
        await operation('notifications', 'GET', `${EVENTS}?pagesize=25`, undefined, viewer);
      }
    }
  };

  const serving = async () => {
    const replies = await Promise.all(
      [`${CONNECTIONS}?pagesize=1`, `${ENVIRONMENTS}?pagesize=1`, `${EVENTS}?pagesize=1`].map((path) =>
        system.http('GET', path, { as: viewer }).catch(() => undefined),
      ),
    );
    // Not yet: the answers, for the message of a wait that gives up.
    if (!replies.every((reply) => reply?.status === 200)) throw new Error(`answers ${replies.map((reply) => reply?.status ?? 'none').join(', ')}: ${replies.map((reply) => reply?.text.slice(0, 200)).join(' | ')}`);
    return true;
  };

  /** Kills a process under the load, lets the load run against its absence, starts it again. */
  const inject = async (name: string, kill: () => Promise<void>, start: () => Promise<void>, loadStopped: () => boolean) => {
    const underWay = counts.attempted + OPERATIONS_WHILE_DOWN;
    await waitFor(() => counts.attempted >= underWay || loadStopped(), { timeoutMs: 60_000, message: `load under way before ${name} is killed` });
    await kill();
    const whileDown = counts.attempted + OPERATIONS_WHILE_DOWN;
    await waitFor(() => counts.attempted >= whileDown || loadStopped(), { timeoutMs: 60_000, message: `load while ${name} is down` });
    await start();
    await waitFor(serving, { timeoutMs: 60_000, intervalMs: 100, message: `the system serving again after ${name} restarted` });
    faults.push(loadStopped() ? `${name} (after the load)` : name);
  };

  it('runs the load while each service and nats-server are killed and restarted', async () => {
    let faultsDone = false;
    let stopped = false;
    const done = () => (faultsDone && counts.acknowledged >= MIN_ACKNOWLEDGED) || counts.attempted >= MAX_OPERATIONS;
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i, done))).finally(() => {
      stopped = true;
    });
    const loadStopped = () => stopped;
    try {
      await inject('registry', () => system.registry.kill(), () => system.startRegistry(), loadStopped);
      await inject('environment', () => system.environment.kill(), () => system.startEnvironment(), loadStopped);
      await inject('notification', () => system.notification.kill(), () => system.startNotification(), loadStopped);
      await inject('gateway', () => system.gateway.kill(), () => system.startGateway(), loadStopped);
      await inject('discovery', () => system.discovery!.kill(), () => system.startDiscovery(), loadStopped);
      await inject('nats-server', () => system.nats.kill(), () => system.nats.start(), loadStopped);
    } finally {
      faultsDone = true;
      await load;
    }
    console.log(`faults: ${faults.join(', ')}; operations: ${JSON.stringify(counts)}; outcomes: ${JSON.stringify(outcomes)}; first failed answers: ${JSON.stringify(failureSamples)}`);
    expect(faults).toEqual(['registry', 'environment', 'notification', 'gateway', 'discovery', 'nats-server']);
    // The faults happened under load: some operations failed, and most did not.
    expect(counts.failed).toBeGreaterThan(0);
    expect(acknowledgedCreates.size).toBeGreaterThan(20);
    expect(acknowledgedAssignments.length).toBeGreaterThan(10);
    expect(importedConnections.length).toBeGreaterThan(2);
  }, 300_000);

  // --- the checks, from the outside: HTTP, and the bus and the store read with a NATS client ---

  /** Every message of a JetStream stream (optionally of one subject filter), oldest first. */
  const readStream = async (stream: string, filter?: string): Promise<JsMsg[]> => {
    const js = (nc as NatsConnection).jetstream();
    const consumer = await js.consumers.get(stream, filter ? { filterSubjects: filter } : {});
    const { num_pending } = await consumer.info();
    const messages: JsMsg[] = [];
    if (num_pending === 0) return messages;
    const iterator = await consumer.consume();
    for await (const message of iterator) {
      messages.push(message);
      if (message.info.pending === 0) break;
    }
    await iterator.close();
    await consumer.delete().catch(() => undefined);
    return messages;
  };

  /** A store's events, per stream (`es.<context>.<category>.<id>`: by id), in order. */
  const storedEvents = async (store: string, filter: string): Promise<Map<string, StoredEvent[]>> => {
    const byId = new Map<string, StoredEvent[]>();
    for (const message of await readStream(store, filter)) {
      const commit = message.json<{ events: Array<{ type: string; data: StoredEvent['data']; metadata: { event_id: string } }> }>();
      const id = message.subject.split('.').at(-1) as string;
      const events = byId.get(id) ?? [];
      events.push(...commit.events.map((e) => ({ type: e.type, revision: message.seq, event_id: e.metadata.event_id, data: e.data })));
      byId.set(id, events);
    }
    return byId;
  };
  const connectionEvents = () => storedEvents('ES_REGISTRY', 'es.registry.connection.>');
  const ours = async () => new Map([...(await connectionEvents())].filter(([, events]) => events[0]?.data.organization_id === ORG));

  /** Every problem found by `check`, once it finds none or the system has had time to settle. */
  const settled = async (check: () => Promise<string[]>): Promise<string[]> => {
    let problems: string[] = [];
    await waitFor(
      async () => {
        problems = await check();
        return problems.length === 0;
      },
      { timeoutMs: SETTLE_MS, intervalMs: 500 },
    ).catch(() => undefined);
    return problems;
  };

  const listed = async (): Promise<{ rows: Array<{ id: string; name: string; status: string }>; summary: Record<string, number> }> => {
    const rows: Array<{ id: string; name: string; status: string }> = [];
    for (let page = 0; ; page++) {
      const reply = await system.http('GET', `${CONNECTIONS}?pagesize=100&page=${page}`, { as: viewer });
      if (reply.status !== 200) throw new Error(`list: ${reply.status} ${reply.text}`);
      rows.push(...reply.body.connections);
      if (rows.length >= reply.body.total_count || reply.body.connections.length === 0) return { rows, summary: reply.body.status_summary };
    }
  };

  let markers = 0;
  /**
   * Waits until the system is quiet: a connection made now (created, transitioned, assigned to every
   * environment) is in the read models, on the bus and notified. Each of them handles its events in
   * order, so by then it has handled everything before; and every durable consumer has delivered all.
   */
  const quiet = async () => {
    const name = `faults-marker-${++markers}`;
    const created = await system.http('POST', CONNECTIONS, { as: admin, body: { kind: 'github', name, skip_connectivity_test: true, metadata: { url: 'https://github.com', owner: 'clp', repository: name } } });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    acknowledgedCreates.set(name, id);
    expect((await system.http('PUT', `${CONNECTIONS}/${id}`, { as: admin, body: { status: 'ignored' } })).status).toBe(200);
    for (const environment of environments) {
      expect((await system.http('POST', `${ENVIRONMENTS}/${environment}/connections/${id}`, { as: admin })).status).toBe(200);
      acknowledgedAssignments.push({ environment, connection: id });
    }
    const jsm = await (nc as NatsConnection).jetstreamManager();
    await waitFor(
      async () => {
        const [row, members, notifications] = await Promise.all([
          system.http('GET', `${CONNECTIONS}?search=${name}`, { as: viewer }),
          Promise.all(environments.map((environment) => system.http('GET', `${ENVIRONMENTS}/${environment}/connections?search=${name}`, { as: viewer }))),
          system.http('GET', `${EVENTS}?acted_upon=${id}&pagesize=100`, { as: viewer }),
        ]);
        const onBus = (await readStream(INTEGRATION_STREAMS.connections.name, `connection.events.github.StatusChanged`)).some(
          (m) => m.json<{ data: { connection_id: string } }>().data.connection_id === id,
        );
        const consumers: string[] = [];
        for (const stream of [INTEGRATION_STREAMS.connections.name, INTEGRATION_STREAMS.environments.name]) {
          for await (const info of jsm.consumers.list(stream)) if (info.config.durable_name) consumers.push(`${info.num_pending}/${info.num_ack_pending}`);
        }
        return (
          row.body?.connections?.[0]?.status === 'ignored' &&
          members.every((m) => m.body?.connections?.length === 1) &&
          notifications.body?.events?.length === 2 &&
          onBus &&
          consumers.every((c) => c === '0/0')
        );
      },
      { timeoutMs: SETTLE_MS, intervalMs: 500, message: `quiet: ${name} in the read models, on the bus and notified` },
    );
  };

  const CHECKS: Array<[string, () => Promise<string[]>]> = [
    [
      "makes one connection of a kubeconfig's context however often it was imported, with one credential",
      async () => {
        const found: string[] = [];
        const ids = new Set(importedConnections);
        if (ids.size !== 1) found.push(`the imports answered ${ids.size} connections: ${[...ids].join(', ')}`);
        const { body } = await system.http('GET', `${CONNECTIONS}?kind=kubernetes&pagesize=100`, { as: viewer });
        const listedIds = (body?.connections ?? []).map((row: { id: string }) => row.id);
        if (JSON.stringify(listedIds) !== JSON.stringify([...ids])) found.push(`kubernetes connections listed: ${JSON.stringify(listedIds)}, imported ${JSON.stringify([...ids])}`);
        const credentials = await system.http('GET', '/api/integrations/credentials?pagesize=100', { as: admin });
        const kubernetesCredentials = (credentials.body?.credentials ?? []).filter((c: { kind: string }) => c.kind === 'kubernetes');
        if (kubernetesCredentials.length !== 1) found.push(`${kubernetesCredentials.length} kubernetes credentials: ${JSON.stringify(kubernetesCredentials)}`);
        return found;
      },
    ],
    [
      'lists every acknowledged create exactly once, by its unique name, and reads it',
      async () => {
        const { rows } = await listed();
        const found: string[] = [];
        for (const [name, id] of acknowledgedCreates) {
          const matches = rows.filter((row) => row.name === name);
          if (matches.length !== 1 || matches[0].id !== id) found.push(`${name} (${id}) listed ${matches.length} times: ${JSON.stringify(matches)}`);
        }
        const names = rows.map((row) => row.name);
        const twice = names.filter((name, i) => names.indexOf(name) !== i);
        if (twice.length > 0) found.push(`names listed more than once: ${twice.join(', ')}`);
        for (const [name, id] of acknowledgedCreates) {
          const read = await system.http('GET', `${CONNECTIONS}/${id}`, { as: viewer });
          if (read.status !== 200 || read.body.name !== name) found.push(`${name} (${id}) read as ${read.status} ${read.text}`);
        }
        return found;
      },
    ],
    [
      "gives every connection one unbroken history, the store's, a read model at its last status and a summary that counts them",
      async () => {
        const found: string[] = [];
        const { rows: list, summary } = await listed();
        const rows = new Map(list.map((row) => [row.id, row]));
        const stored = await ours();
        for (const id of acknowledgedCreates.values()) if (!stored.has(id)) found.push(`${id}: acknowledged, not in the store`);
        for (const [id, events] of stored) {
          const reply = await system.http('GET', `${CONNECTIONS}/${id}/history`, { as: viewer });
          if (reply.status !== 200) {
            found.push(`${id}: history ${reply.status}`);
            continue;
          }
          const history: Array<{ type: string; revision: string; data: StoredEvent['data'] }> = reply.body.events;
          const revisions = history.map((e) => Number(e.revision));
          const shape = (entries: Array<{ type: string; revision: string | number }>) => JSON.stringify(entries.map((e) => [e.type, Number(e.revision)]));
          if (shape(history) !== shape(events)) found.push(`${id}: history ${shape(history)} is not the store's ${shape(events)}`);
          // One commit is one revision: revisions never go back, and a commit's events are together.
          if (revisions.some((revision, i) => i > 0 && revision < revisions[i - 1])) found.push(`${id}: revisions go back: ${revisions.join(', ')}`);
          const ids = events.map((e) => e.event_id);
          if (new Set(ids).size !== ids.length) found.push(`${id}: event ids repeat: ${ids.join(', ')}`);
          let status: string | undefined;
          for (const [i, event] of history.entries()) {
            if (i === 0) {
              if (!FIRST.includes(event.type)) found.push(`${id}: starts with ${event.type}`);
              // A discovery has no status field: it is how `discovered` begins.
              status = event.type === 'ConnectionDiscovered' ? 'discovered' : event.data.status;
            } else if (event.type === 'StatusChanged') {
              if (event.data.from !== status) found.push(`${id}: StatusChanged from ${event.data.from} after ${status} (event ${i})`);
              status = event.data.to;
            } else if (FIRST.includes(event.type)) found.push(`${id}: ${event.type} again (event ${i})`);
          }
          const row = rows.get(id);
          if (row?.status !== status) found.push(`${id}: read model says ${row?.status}, history ends at ${status}`);
        }
        const counted: Record<string, number> = {};
        for (const row of list) counted[row.status] = (counted[row.status] ?? 0) + 1;
        if (JSON.stringify(Object.entries(summary).sort()) !== JSON.stringify(Object.entries(counted).sort())) {
          found.push(`status summary ${JSON.stringify(summary)}, the list counts ${JSON.stringify(counted)}`);
        }
        return found;
      },
    ],
    [
      'has every stored event on the bus exactly once, with Nats-Msg-Id = its event id, and nothing else',
      async () => {
        const found: string[] = [];
        const pairs: Array<[string, Map<string, StoredEvent[]>]> = [
          [INTEGRATION_STREAMS.connections.name, await connectionEvents()],
          // The environment service relays its environments' and workspaces' streams (not its name claims).
          [INTEGRATION_STREAMS.environments.name, new Map([...(await storedEvents('ES_ENVIRONMENT', 'es.environment.environment.>')), ...(await storedEvents('ES_ENVIRONMENT', 'es.environment.workspace.>'))])],
        ];
        for (const [bus, store] of pairs) {
          const onBus = new Map<string, number>();
          for (const message of await readStream(bus)) {
            const id = message.headers?.get(HEADERS.messageId) ?? '';
            const eventId = message.json<{ metadata: { event_id: string } }>().metadata.event_id;
            if (id !== eventId) found.push(`${bus} message ${message.seq}: Nats-Msg-Id ${id}, event id ${eventId}`);
            onBus.set(eventId, (onBus.get(eventId) ?? 0) + 1);
          }
          const stored = new Set<string>();
          for (const [stream, events] of store) {
            for (const event of events) {
              stored.add(event.event_id);
              const times = onBus.get(event.event_id) ?? 0;
              if (times !== 1) found.push(`${stream} ${event.type} ${event.event_id}: on ${bus} ${times} times`);
            }
          }
          for (const [eventId, times] of onBus) if (!stored.has(eventId)) found.push(`${eventId}: on ${bus} ${times} times, not in the store`);
        }
        return found;
      },
    ],
    [
      "lists every acknowledged assignment in its environment's connections, which its connection count counts",
      async () => {
        const found: string[] = [];
        for (const environment of environments) {
          const members = new Set<string>();
          for (let page = 0; ; page++) {
            const reply = await system.http('GET', `${ENVIRONMENTS}/${environment}/connections?pagesize=100&page=${page}`, { as: viewer });
            if (reply.status !== 200) throw new Error(`environment connections: ${reply.status} ${reply.text}`);
            reply.body.connections.forEach((row: { id: string }) => members.add(row.id));
            if (members.size >= reply.body.total_count || reply.body.connections.length === 0) break;
          }
          for (const { connection } of acknowledgedAssignments.filter((a) => a.environment === environment)) {
            if (!members.has(connection)) found.push(`${connection} acknowledged in ${environment}, not listed`);
          }
          const { body } = await system.http('GET', `${ENVIRONMENTS}/${environment}`, { as: viewer });
          if (body.connection_count !== members.size) found.push(`${environment}: connection_count ${body.connection_count}, ${members.size} listed`);
        }
        return found;
      },
    ],
    [
      'has exactly one notification for every status change, and none for anything else',
      async () => {
        const found: string[] = [];
        for (const [id, events] of await ours()) {
          const reply = await system.http('GET', `${EVENTS}?acted_upon=${id}&pagesize=100`, { as: viewer });
          if (reply.status !== 200) {
            found.push(`${id}: notifications ${reply.status}`);
            continue;
          }
          const notified: string[] = reply.body.events
            .filter((n: { category: string }) => n.category === 'connection')
            .map((n: { metadata: { event_id: string } }) => n.metadata.event_id)
            .sort();
          const changes = events
            .filter((e) => NOTIFIED.includes(e.type))
            .map((e) => e.event_id)
            .sort();
          if (JSON.stringify(notified) !== JSON.stringify(changes)) {
            found.push(`${id}: ${changes.length} status changes, notifications ${JSON.stringify(notified)} for ${JSON.stringify(changes)}`);
          }
        }
        return found;
      },
    ],
  ];

  it('comes quiet after the load', () => quiet(), SETTLE_MS + 30_000);

  for (const [name, check] of CHECKS) it(name, async () => expect(await settled(check)).toEqual([]), SETTLE_MS + 60_000);

  it('restarts every service (kill -9) once the bus has forgotten the ids it saw, and comes quiet again', async () => {
    // Past the duplicate window, an event relayed again is a duplicate on the bus, and a projection
    // that starts over from the beginning applies each event again: the checks below see both.
    const jsm = await (nc as NatsConnection).jetstreamManager();
    const newest = async () =>
      Math.max(...(await Promise.all([INTEGRATION_STREAMS.connections, INTEGRATION_STREAMS.environments].map(async ({ name }) => Date.parse((await jsm.streams.info(name)).state.last_ts)))));
    await waitFor(async () => Date.now() - (await newest()) > DUPLICATE_WINDOW_MS, { timeoutMs: DUPLICATE_WINDOW_MS + 30_000, intervalMs: 500, message: 'the duplicate window passed' });
    await Promise.all([system.registry.kill(), system.environment.kill(), system.notification.kill()]);
    await Promise.all([system.startRegistry(), system.startEnvironment(), system.startNotification()]);
    await waitFor(serving, { timeoutMs: 60_000, intervalMs: 100, message: 'the system serving again' });
    await quiet();
  }, DUPLICATE_WINDOW_MS + 2 * SETTLE_MS);

  for (const [name, check] of CHECKS) it(`${name}, after that restart`, async () => expect(await settled(check)).toEqual([]), SETTLE_MS + 60_000);
});
