import { INTEGRATION_STREAMS, NOTIFICATION_LOG_STREAM, SUBJECTS } from '@clp/contracts';

/**
 * Who may do what on the bus (docs/bus-security.md): one user per service, each allowed to publish
 * and subscribe only what its code does, plus the external subscriber and an operator.
 * Everything else is refused by nats-server.
 */
export const BUS_USERS = ['gateway', 'connection-registry', 'discovery', 'environment', 'notification', 'external-subscriber', 'admin'] as const;
export type BusUser = (typeof BUS_USERS)[number];

export interface BusPermissions {
  publish: string[];
  subscribe: string[];
  /** May answer the requests it receives (once each), without a publish right on `_INBOX.>`. */
  allowResponses: boolean;
}

/** The external subscriber's durable consumer on `CONNECTION_EVENTS`, and the inbox it must use. */
export const EXTERNAL_SUBSCRIBER = { durable: 'external-subscriber', inboxPrefix: '_INBOX_external' } as const;

/** The event stores' streams in embedded mode (libs/event-store JetStreamEventStore). */
const EVENT_STORES = {
  registry: { name: 'ES_REGISTRY', subjects: ['es.registry.>'] },
  environment: { name: 'ES_ENVIRONMENT', subjects: ['es.environment.>'] },
} as const;


/** The JetStream key-value buckets (libs/event-store, libs/credential-vault, discovery's membership). */
const BUCKETS = { checkpoints: 'checkpoints', leases: 'leases', credentials: 'credential-secrets', members: 'discovery-members' } as const;

const api = '$JS.API';
/** Account info: every JetStream client asks it. */
const JS_INFO = `${api}.INFO`;
/** Replies to requests (and JetStream's deliveries to pull requests): nats.js's default inbox. */
const INBOX = '_INBOX.>';

/** Create if missing (ensureStream), read its messages and run consumers on it. */
const readStream = (stream: string): string[] => [
  `${api}.STREAM.INFO.${stream}`,
  `${api}.STREAM.CREATE.${stream}`,
  `${api}.STREAM.MSG.GET.${stream}`,
  `${api}.DIRECT.GET.${stream}`,
  `${api}.DIRECT.GET.${stream}.>`,
  `${api}.CONSUMER.*.${stream}`,
  `${api}.CONSUMER.*.${stream}.>`,
  `${api}.CONSUMER.DURABLE.CREATE.${stream}.>`,
  `${api}.CONSUMER.MSG.NEXT.${stream}.>`,
  `$JS.ACK.${stream}.>`,
];

/** The stream's owner also publishes to it, changes its settings and removes messages. */
const ownStream = (stream: { name: string; subjects: readonly string[] }): string[] => [
  ...readStream(stream.name),
  ...stream.subjects,
  `${api}.STREAM.UPDATE.${stream.name}`,
  `${api}.STREAM.PURGE.${stream.name}`,
  `${api}.STREAM.MSG.DELETE.${stream.name}`,
];

const bucket = (name: string): string[] => ownStream({ name: `KV_${name}`, subjects: [`$KV.${name}.>`] });

/** A service's own `<service>.cmd.>` / `.query.>` (and `.sys.>`) subjects, from its SUBJECTS entry. */
const servedBy = (subjects: Record<string, string>): string[] => [...new Set(Object.values(subjects).map((subject) => subject.replace(/^([^.]+\.[^.]+)\..*$/, '$1.>')))];

const userSubjects = (subjects: Record<string, string>): string[] => servedBy(subjects).filter((subject) => !subject.includes('.sys.'));

const { connections, discovery, environments } = INTEGRATION_STREAMS;

export const BUS_PERMISSIONS: Record<BusUser, BusPermissions> = {
  /** The only sender of user commands and queries; reads the live notifications. */
  gateway: {
    publish: [...userSubjects(SUBJECTS.registry), ...userSubjects(SUBJECTS.environment), ...userSubjects(SUBJECTS.discovery), ...userSubjects(SUBJECTS.notification), JS_INFO],
    subscribe: ['notification.live.>', INBOX],
    allowResponses: false,
  },
  'connection-registry': {
    publish: [
      // Its readiness probe asks itself (listenUntilAnswering in apps/connection-registry/src/registry.ts).
      SUBJECTS.registry.listDefinitions,
      JS_INFO,
      ...ownStream(EVENT_STORES.registry),
      ...ownStream(connections),
      ...readStream(discovery.name),
      ...readStream(environments.name),
      ...bucket(BUCKETS.credentials),
      ...bucket(BUCKETS.checkpoints),
      ...bucket(BUCKETS.leases),
    ],
    subscribe: [...servedBy(SUBJECTS.registry), INBOX],
    allowResponses: true,
  },
  /**
   * The only sender of system transitions. A kubeconfig import (asked by a person through the
   * gateway) registers its contexts and connects them on that person's behalf, as that caller.
   */
  discovery: {
    publish: [
      SUBJECTS.registry.systemTransition,
      SUBJECTS.registry.discoverConnection,
      SUBJECTS.registry.transition,
      JS_INFO,
      ...ownStream(discovery),
      ...readStream(connections.name),
      ...bucket(BUCKETS.members),
      ...bucket(BUCKETS.credentials),
      ...bucket(BUCKETS.leases),
    ],
    subscribe: [...servedBy(SUBJECTS.discovery), INBOX],
    allowResponses: true,
  },
  environment: {
    publish: [
      SUBJECTS.registry.getConnection,
      // Its readiness probe (apps/environment/src/environment-service.ts).
      SUBJECTS.environment.listWorkspaces,
      JS_INFO,
      ...ownStream(EVENT_STORES.environment),
      ...ownStream(environments),
      ...readStream(connections.name),
      ...bucket(BUCKETS.checkpoints),
      ...bucket(BUCKETS.leases),
    ],
    subscribe: [...servedBy(SUBJECTS.environment), INBOX],
    allowResponses: true,
  },
  notification: {
    // With its readiness probe (apps/notification/src/notification-service.ts).
    publish: [SUBJECTS.notification.eventsSince, 'notification.live.>', JS_INFO, ...ownStream(NOTIFICATION_LOG_STREAM), ...readStream(connections.name), ...readStream(environments.name), ...bucket(BUCKETS.checkpoints), ...bucket(BUCKETS.leases)],
    subscribe: [...servedBy(SUBJECTS.notification), INBOX],
    allowResponses: true,
  },
  /**
   * Reads `connection.events.>` through its own durable consumer and nothing else: it cannot touch
   * the services' consumers, and its replies come to its own inbox prefix, not to `_INBOX.>`.
   */
  'external-subscriber': {
    publish: [
      JS_INFO,
      `${api}.STREAM.INFO.${connections.name}`,
      `${api}.CONSUMER.CREATE.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}`,
      `${api}.CONSUMER.CREATE.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}.>`,
      `${api}.CONSUMER.DURABLE.CREATE.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}`,
      `${api}.CONSUMER.INFO.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}`,
      `${api}.CONSUMER.DELETE.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}`,
      `${api}.CONSUMER.MSG.NEXT.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}`,
      `$JS.ACK.${connections.name}.${EXTERNAL_SUBSCRIBER.durable}.>`,
    ],
    subscribe: [`${EXTERNAL_SUBSCRIBER.inboxPrefix}.>`],
    allowResponses: false,
  },
  /** Operators' tools (nats CLI, repairs): everything. */
  admin: { publish: ['>'], subscribe: ['>'], allowResponses: false },
};

const quote = (value: string): string => JSON.stringify(value);
const list = (values: string[]): string => `[${values.map(quote).join(', ')}]`;

/**
 * A nats-server configuration: JetStream in `storeDir`, and the users of BUS_PERMISSIONS with the
 * passwords given (a user without one is left out, so it cannot connect).
 */
export const natsServerConfig = (options: { port: number; host?: string; storeDir: string; passwords: Partial<Record<BusUser, string>> }): string => {
  const users = BUS_USERS.filter((user) => options.passwords[user]).map((user) => {
    const { publish, subscribe, allowResponses } = BUS_PERMISSIONS[user];
    const responses = allowResponses ? ', allow_responses: true' : '';
    return `    { user: ${quote(user)}, password: ${quote(options.passwords[user] ?? '')}, permissions: { publish: { allow: ${list(publish)} }, subscribe: { allow: ${list(subscribe)} }${responses} } }`;
  });
  return [
    `host: ${quote(options.host ?? '127.0.0.1')}`,
    `port: ${options.port}`,
    `jetstream { store_dir: ${quote(options.storeDir)} }`,
    'authorization {',
    '  users = [',
    users.join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
};

/** The URL a user connects with: its credentials in the userinfo (nats.js reads them there). */
export const natsUrlFor = (url: string, user: string, password: string): string => {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString().replace(/\/$/, '');
};

/** A NATS URL fit for a log line or a readiness answer: its password replaced. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/g, '//$1:***@');
