import { ReplyError } from '@clp/contracts';

/** What a kind's connectivity test is (design.md §6.4); `none` for the server's own connection. */
export type CheckKind = 'kubernetes' | 'prometheus' | 'grafana' | 'container-registry' | 'http' | 'none';

export type JsonSchema = Record<string, unknown>;

export interface KindDefinition {
  kind: string;
  type: string;
  sub_type: string;
  /** JSON Schema of the connection form (the connection's metadata). */
  connection_schema: JsonSchema;
  /** JSON Schema of the credential form (the secret's fields). */
  credential_schema: JsonSchema;
  /** The metadata fields that identify the resource; URLs among them are normalized. */
  identity: string[];
  /** The system connects it by itself once registered (note 1 of design.md §6.2). */
  auto_connect: boolean;
  check: CheckKind;
  /** The metadata field holding the address the connectivity test calls. */
  address_field?: string;
}

const url = { type: 'string', format: 'uri', maxLength: 2048 } as const;
const text = (maxLength = 256) => ({ type: 'string', maxLength }) as const;
const secret = { type: 'string', minLength: 1, maxLength: 65_536 } as const;

const urlForm = (title: string, extra: Record<string, unknown> = {}): JsonSchema => ({
  title,
  type: 'object',
  required: ['url'],
  properties: { url, ...extra },
});

type Variant = { properties: Record<string, unknown>; required: string[] };

/**
 * A credential form: one of several ways to authenticate, each a set of required fields;
 * `optional` admits an empty form for targets that need none.
 */
const credentialForm = (variants: Variant[], { optional = false, extra = {} } = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.assign({}, extra, ...variants.map((v) => v.properties)),
  anyOf: [...variants.map((v) => ({ required: v.required })), ...(optional ? [{ maxProperties: 0 }] : [])],
});

const token: Variant = { properties: { token: secret }, required: ['token'] };
const basic: Variant = { properties: { username: text(), password: secret }, required: ['username', 'password'] };
const clientCertificate: Variant = { properties: { client_certificate: secret, client_key: secret }, required: ['client_certificate', 'client_key'] };
const apiKey: Variant = { properties: { api_key: secret }, required: ['api_key'] };

const meshAdapter = (kind: string): KindDefinition => ({
  kind,
  type: 'service-mesh',
  sub_type: 'adapter',
  connection_schema: urlForm(`${kind} adapter`, { version: text(64) }),
  credential_schema: credentialForm([token], { optional: true }),
  identity: ['url'],
  auto_connect: false,
  check: 'http',
  address_field: 'url',
});

/** The kinds of design.md §6.4, served by the API as connection definitions. */
export const KIND_DEFINITIONS: readonly KindDefinition[] = [
  {
    kind: 'kubernetes',
    type: 'platform',
    sub_type: 'management',
    connection_schema: {
      title: 'Kubernetes cluster',
      type: 'object',
      required: ['server'],
      properties: {
        server: url,
        user: text(),
        context: text(),
        version: text(64),
        server_id: text(64),
        meshsync_deployment_mode: { type: 'string', enum: ['cluster', 'edge'] },
        insecure_skip_tls_verify: { type: 'boolean' },
      },
    },
    credential_schema: credentialForm([token, clientCertificate, basic], { extra: { certificate_authority: secret } }),
    identity: ['server', 'user'],
    auto_connect: false,
    check: 'kubernetes',
    address_field: 'server',
  },
  {
    kind: 'prometheus',
    type: 'observability',
    sub_type: 'monitoring',
    connection_schema: urlForm('Prometheus'),
    // Meshery's PromCred is an API key or basic auth; a token is the same bearer credential.
    credential_schema: credentialForm([apiKey, token, basic], { optional: true }),
    identity: ['url'],
    auto_connect: false,
    check: 'prometheus',
    address_field: 'url',
  },
  {
    kind: 'grafana',
    type: 'observability',
    sub_type: 'dashboards',
    connection_schema: urlForm('Grafana'),
    credential_schema: credentialForm([apiKey, basic], { optional: true }),
    identity: ['url'],
    auto_connect: false,
    check: 'grafana',
    address_field: 'url',
  },
  {
    kind: 'meshery',
    type: 'platform',
    sub_type: 'management',
    connection_schema: {
      title: 'This server',
      type: 'object',
      required: ['server_id'],
      properties: { server_id: text(64), server_version: text(64), server_build_sha: text(64), server_location: text(2048) },
    },
    credential_schema: { type: 'object', maxProperties: 0 },
    identity: ['server_id'],
    auto_connect: true,
    check: 'none',
  },
  {
    kind: 'github',
    type: 'repository',
    sub_type: 'git',
    connection_schema: urlForm('GitHub', { owner: text(), repository: text() }),
    credential_schema: credentialForm([token], { optional: true }),
    identity: ['url', 'owner', 'repository'],
    auto_connect: false,
    check: 'http',
    address_field: 'url',
  },
  {
    kind: 'container-registry',
    type: 'repository',
    sub_type: 'oci',
    connection_schema: urlForm('Container registry'),
    credential_schema: credentialForm([basic], { optional: true }),
    identity: ['url'],
    auto_connect: false,
    check: 'container-registry',
    address_field: 'url',
  },
  meshAdapter('istio'),
  meshAdapter('linkerd'),
  meshAdapter('consul'),
];

const BY_KIND = new Map(KIND_DEFINITIONS.map((definition) => [definition.kind, definition]));

export const definitionOf = (kind: string): KindDefinition | undefined => BY_KIND.get(kind);

export const KINDS = KIND_DEFINITIONS.map((d) => d.kind);

/** The definition of a kind, or `validation_failed` naming the kind. */
export const kindDefinition = (kind: string): KindDefinition => {
  const definition = BY_KIND.get(kind);
  if (!definition) {
    throw new ReplyError('validation_failed', `unknown connection kind "${kind}"`, {
      fields: [{ field: 'kind', reasons: [`kind must be one of ${KINDS.join(', ')}`] }],
    });
  }
  return definition;
};
