/**
 * The NATS subject catalogue (design.md §3).
 * - Commands and queries: core request/reply on `<service>.cmd.<name>` / `<service>.query.<name>`,
 *   served in a queue group named after the service.
 * - System commands: `<service>.sys.<name>`, which only the system's own services may publish.
 * - Integration events: JetStream streams other services consume with durable consumers. The
 *   subject carries enough to filter without decoding: `connection.events.<kind>.<EventType>`.
 */
export const SUBJECTS = {
  registry: {
    registerConnection: 'registry.cmd.register-connection',
    initRegistration: 'registry.cmd.init-registration',
    completeRegistration: 'registry.cmd.complete-registration',
    /** A person's transition (cause `user`); `cause: 'system'` is refused here. */
    transition: 'registry.cmd.transition',
    /**
     * The system's transitions (the health monitor's): only discovery may publish here
     * (docs/bus-security.md), so `cause: system` is a property of the subject, not of the payload.
     */
    systemTransition: 'registry.sys.transition',
    updateConnection: 'registry.cmd.update-connection',
    deleteConnection: 'registry.cmd.delete-connection',
    testConnection: 'registry.cmd.test-connection',
    discoverConnection: 'registry.cmd.discover-connection',
    createCredential: 'registry.cmd.create-credential',
    updateCredential: 'registry.cmd.update-credential',
    deleteCredential: 'registry.cmd.delete-credential',
    testCredential: 'registry.cmd.test-credential',
    assignCredential: 'registry.cmd.assign-credential',
    listConnections: 'registry.query.list-connections',
    connectionsStatus: 'registry.query.connections-status',
    getConnection: 'registry.query.get-connection',
    connectionHistory: 'registry.query.connection-history',
    listDefinitions: 'registry.query.list-definitions',
    listCredentials: 'registry.query.list-credentials',
    getCredential: 'registry.query.get-credential',
    readModelHealth: 'registry.query.read-model-health',
  },
  environment: {
    createEnvironment: 'environment.cmd.create-environment',
    updateEnvironment: 'environment.cmd.update-environment',
    deleteEnvironment: 'environment.cmd.delete-environment',
    recoverEnvironment: 'environment.cmd.recover-environment',
    assignConnection: 'environment.cmd.assign-connection',
    unassignConnection: 'environment.cmd.unassign-connection',
    createWorkspace: 'environment.cmd.create-workspace',
    updateWorkspace: 'environment.cmd.update-workspace',
    deleteWorkspace: 'environment.cmd.delete-workspace',
    linkEnvironment: 'environment.cmd.link-environment',
    unlinkEnvironment: 'environment.cmd.unlink-environment',
    listEnvironments: 'environment.query.list-environments',
    getEnvironment: 'environment.query.get-environment',
    environmentConnections: 'environment.query.environment-connections',
    listWorkspaces: 'environment.query.list-workspaces',
    getWorkspace: 'environment.query.get-workspace',
    workspaceEnvironments: 'environment.query.workspace-environments',
    workspaceConnections: 'environment.query.workspace-connections',
    readModelHealth: 'environment.query.read-model-health',
  },
  discovery: {
    importKubeconfig: 'discovery.cmd.import-kubeconfig',
    scanClusters: 'discovery.cmd.scan',
  },
  notification: {
    listEvents: 'notification.query.list-events',
    markEvents: 'notification.cmd.mark-events',
    deleteEvents: 'notification.cmd.delete-events',
    eventsSince: 'notification.query.events-since',
    eventTypes: 'notification.query.event-types',
    /** The notification projection's dead letters, for the gateway's readiness. */
    readModelHealth: 'notification.query.read-model-health',
  },
} as const;

/** Queue groups: one per service, so replicas share commands and queries. */
export const QUEUE_GROUPS = {
  registry: 'connection-registry',
  discovery: 'discovery',
  environment: 'environment',
  notification: 'notification',
} as const;

export interface StreamSpec {
  name: string;
  subjects: string[];
}

/** Integration streams, which outside services may consume. */
export const INTEGRATION_STREAMS = {
  /** The registry's events, relayed from its event store. */
  connections: { name: 'CONNECTION_EVENTS', subjects: ['connection.events.>'] },
  /** Discovery's findings: durable, so a registry that is down loses nothing. */
  discovery: { name: 'DISCOVERY_EVENTS', subjects: ['discovery.events.>'] },
  /** The environment service's events, relayed from its event store. */
  environments: { name: 'ENVIRONMENT_EVENTS', subjects: ['environment.events.>'] },
} as const satisfies Record<string, StreamSpec>;

/**
 * The notification center's own log (apps/notification, docs/notification.md): every notification
 * stored and every change of its state, the durable source its Redis projection is rebuilt from.
 */
export const NOTIFICATION_LOG_STREAM = { name: 'NOTIFICATIONS', subjects: ['notification.log.>'] } as const satisfies StreamSpec;

/** NATS subject tokens may not hold `.`, `*`, `>` or whitespace. */
const token = (value: string): string => value.replace(/[.*>\s]/g, '_');

export const connectionEventSubject = (kind: string, eventType: string): string =>
  `connection.events.${token(kind)}.${eventType}`;

export const discoveryEventSubject = (kind: string): string => `discovery.events.${token(kind)}.ConnectionDiscovered`;

export const environmentEventSubject = (eventType: string): string => `environment.events.${eventType}`;

/**
 * Core NATS (not JetStream): each notification as stored, for live delivery to the organization's
 * subscribers. Tokens are escaped, so two organizations may share a subject: readers check
 * `organization_id`.
 */
export const notificationLiveSubject = (organizationId: string): string => `notification.live.${token(organizationId)}`;

/** Headers on every message the system sends. `Nats-Msg-Id` makes re-publishing harmless. */
export const HEADERS = {
  messageId: 'Nats-Msg-Id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  correlationId: 'Correlation-Id',
  causationId: 'Causation-Id',
  eventType: 'Clp-Event-Type',
  stream: 'Clp-Stream',
  revision: 'Clp-Revision',
  /** The event's position in the store it was relayed from. */
  sourcePosition: 'Clp-Source-Position',
} as const;
