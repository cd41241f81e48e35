import type { ConnectionDefinition, ConnectionView, ImportKubeconfigReply, ProbeResult, Status } from '@clp/contracts';

/** A JSON Schema as the definitions serve it. */
export type Schema = Record<string, unknown>;
type Properties = Record<string, Schema>;

/** A form react-jsonschema-form renders: the schema and its UI hints. */
export interface GeneratedForm {
  schema: Schema;
  uiSchema: Record<string, unknown>;
}

const NAME_FIELD = 'name';
const propertiesOf = (schema: Schema): Properties => (schema.properties as Properties | undefined) ?? {};
const requiredOf = (schema: Schema): string[] => (schema.required as string[] | undefined) ?? [];

/**
 * The connection form: the connection's name (which the kind's schema does not hold) and then the
 * kind's `connection_schema` as it is, so every field, limit and format is the API's.
 */
export const connectionForm = (definition: Pick<ConnectionDefinition, 'kind' | 'connection_schema'>): GeneratedForm => {
  const schema = definition.connection_schema;
  const properties = propertiesOf(schema);
  return {
    schema: {
      type: 'object',
      title: (schema.title as string | undefined) ?? definition.kind,
      required: [NAME_FIELD, ...requiredOf(schema).filter((field) => field !== NAME_FIELD)],
      properties: { [NAME_FIELD]: { type: 'string', title: 'Name', minLength: 1, maxLength: 100 }, ...properties },
    },
    uiSchema: {
      'ui:order': [NAME_FIELD, '*'],
      // The form replaces the list of kinds that had the focus: the name takes it.
      [NAME_FIELD]: { 'ui:autofocus': true },
      ...Object.fromEntries(Object.keys(properties).map((field) => [field, { 'ui:title': titleOf(field) }])),
    },
  };
};

/** The connection form's answer as the API's fields: the name apart, the rest the metadata (blank fields left out). */
export const splitConnectionForm = (data: Record<string, unknown>): { name: string; metadata: Record<string, unknown> } => {
  const { [NAME_FIELD]: name, ...rest } = data;
  return { name: typeof name === 'string' ? name.trim() : '', metadata: Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined && value !== '')) };
};

/** One way to authenticate a kind offers: the fields it needs (the credential form's `anyOf` entries). */
export interface CredentialMethod {
  id: string;
  label: string;
  form: GeneratedForm;
}

const METHOD_LABELS: Record<string, string> = {
  token: 'Bearer token',
  api_key: 'API key',
  'username+password': 'Username and password',
  'client_certificate+client_key': 'Client certificate',
};

/**
 * The credential form of a kind as the ways it offers to authenticate: each `anyOf` entry of
 * `credential_schema` names the fields one way requires; a form of its own shows those fields (and
 * the ones every way may carry, such as a certificate authority), all secret fields masked. An
 * entry that admits an empty form (`maxProperties: 0`) is "no credential", offered first.
 */
export const credentialMethods = (definition: Pick<ConnectionDefinition, 'credential_schema'>): { optional: boolean; methods: CredentialMethod[] } => {
  const schema = definition.credential_schema;
  const properties = propertiesOf(schema);
  const variants = (schema.anyOf as Schema[] | undefined) ?? [{ required: requiredOf(schema) }];
  const optional = variants.some((variant) => variant.maxProperties === 0);
  const named = variants.filter((variant) => variant.maxProperties !== 0 && requiredOf(variant).length > 0);
  const inSome = new Set(named.flatMap(requiredOf));
  const shared = Object.keys(properties).filter((field) => !inSome.has(field));
  const methods = named.map((variant): CredentialMethod => {
    const required = requiredOf(variant);
    const id = required.join('+');
    const fields = [...required, ...shared];
    return {
      id,
      label: METHOD_LABELS[id] ?? required.map(titleOf).join(' and '),
      form: {
        schema: { type: 'object', required, properties: Object.fromEntries(fields.map((field) => [field, properties[field]])), additionalProperties: false },
        uiSchema: Object.fromEntries(fields.map((field) => [field, { 'ui:title': titleOf(field), ...(isSecret(field, properties[field]) ? { 'ui:widget': 'password' } : {}) }])),
      },
    };
  });
  return { optional, methods };
};

// A user name is the only field of a credential form a person may read back.
const isSecret = (field: string, schema: Schema | undefined): boolean => field !== 'username' && schema?.type === 'string';

/** `api_key` → `Api key`, `url` → `URL`: the label of a schema field without a title. */
export const titleOf = (field: string): string => {
  const words = field.split('_').map((word) => (['url', 'id', 'tls', 'api'].includes(word) ? word.toUpperCase() : word));
  return (words[0].charAt(0).toUpperCase() + words[0].slice(1) + (words.length > 1 ? ` ${words.slice(1).join(' ')}` : ''));
};

/** Which credential the registration uses: none, one stored, or a new one from the form. */
export type CredentialChoice = { source: 'none' } | { source: 'existing'; credentialId: string } | { source: 'new'; methodId: string; secret: Record<string, unknown> };

const credentialFields = (choice: CredentialChoice): { credential_id?: string; credential_secret?: Record<string, string> } => {
  if (choice.source === 'existing') return { credential_id: choice.credentialId };
  if (choice.source === 'new') {
    const secret = Object.fromEntries(Object.entries(choice.secret).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
    return Object.keys(secret).length > 0 ? { credential_secret: secret } : {};
  }
  return {};
};

/** `POST /api/integrations/connections/test`: the form to try, nothing stored. */
export const testBody = (kind: string, form: Record<string, unknown>, credential: CredentialChoice) => ({
  kind,
  metadata: splitConnectionForm(form).metadata,
  ...credentialFields(credential),
});

/** The `register` step of `POST /api/integrations/connections/register`, with the tracker `init` answered. */
export const registerBody = (trackerId: string, kind: string, form: Record<string, unknown>, credential: CredentialChoice) => {
  const { name, metadata } = splitConnectionForm(form);
  return { status: 'register' as const, id: trackerId, kind, name, metadata, ...credentialFields(credential) };
};

/** What the inline result of Test says. */
export const probeSummary = (probe: ProbeResult): { ok: boolean; text: string } =>
  probe.ok
    ? { ok: true, text: `Test passed in ${probe.latency_ms} ms (${probe.check})${versionOf(probe)}` }
    : { ok: false, text: `Test failed (${probe.check}): ${probe.error ?? 'no reason given'}` };

const versionOf = (probe: ProbeResult): string => (typeof probe.details?.version === 'string' ? `, version ${probe.details.version}` : '');

/**
 * After Register: connect the connection when the person asked to and its kind lets a person move
 * it from the status the registration left it in to `connected` (the definition's table, no copy).
 */
export const shouldConnect = (definition: Pick<ConnectionDefinition, 'allowed_transitions'>, connection: Pick<ConnectionView, 'status'>, wanted: boolean): boolean =>
  wanted && connection.status !== 'connected' && (definition.allowed_transitions[connection.status]?.user ?? []).includes('connected');

/** The modal's steps, in order: a kind, its forms (Test, Register), then environments. */
export type Step = { step: 'kind' } | { step: 'form'; kind: string } | { step: 'kubeconfig' } | { step: 'environments'; connection: ConnectionView; warning?: string } | { step: 'done'; connection: ConnectionView };

export type StepEvent =
  | { type: 'choose-kind'; kind: string }
  | { type: 'upload-kubeconfig' }
  // `warning`: registered, but connecting it afterwards failed (the API's message).
  | { type: 'registered'; connection: ConnectionView; warning?: string }
  | { type: 'assigned'; connection: ConnectionView }
  | { type: 'back' };

/** The step machine: an event the current step does not expect leaves it where it is. */
export const nextStep = (current: Step, event: StepEvent): Step => {
  switch (event.type) {
    case 'choose-kind':
      return current.step === 'kind' ? { step: 'form', kind: event.kind } : current;
    case 'upload-kubeconfig':
      return current.step === 'kind' ? { step: 'kubeconfig' } : current;
    case 'registered':
      return current.step === 'form' ? { step: 'environments', connection: event.connection, ...(event.warning ? { warning: event.warning } : {}) } : current;
    case 'assigned':
      return current.step === 'environments' ? { step: 'done', connection: event.connection } : current;
    case 'back':
      // Once registered the connection exists: there is no going back to its form.
      return current.step === 'form' || current.step === 'kubeconfig' ? { step: 'kind' } : current;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};

export const STEP_LABELS = ['Kind', 'Connection', 'Environments'] as const;

/** The index of the step in STEP_LABELS (the kubeconfig upload is the second step of Kubernetes). */
export const stepIndex = (current: Step): number => ({ kind: 0, form: 1, kubeconfig: 1, environments: 2, done: 3 })[current.step];

/** Kinds the modal offers: every kind but the server's own (registered by the server itself). */
export const registrableKinds = (definitions: Iterable<ConnectionDefinition>): ConnectionDefinition[] =>
  [...definitions].filter((definition) => definition.kind !== 'meshery').sort((a, b) => a.kind.localeCompare(b.kind));

export type ContextOutcome = 'connected' | 'registered' | 'ignored' | 'errored';

export interface ContextRow {
  context: string;
  cluster: string;
  user: string | null;
  outcome: ContextOutcome;
  status?: Status;
  created?: boolean;
  reason?: string;
  id?: string;
}

const OUTCOMES: ContextOutcome[] = ['connected', 'registered', 'ignored', 'errored'];

/** The kubeconfig upload's answer as one row per context, in the kubeconfig's context order where known, else by name. */
export const contextRows = (answer: ImportKubeconfigReply): ContextRow[] =>
  OUTCOMES.flatMap((outcome) => answer[outcome].map((entry) => ({ ...entry, outcome }))).sort((a, b) => a.context.localeCompare(b.context));

/** What one context's row says about it. */
export const contextSummary = (row: ContextRow): string => {
  switch (row.outcome) {
    case 'connected':
      return row.created ? 'registered and connected' : 'already connected';
    case 'registered':
      return `registered as ${row.status ?? 'unknown'}${row.reason ? `: ${row.reason}` : ''}`;
    case 'ignored':
      return 'ignored, left as it is';
    case 'errored':
      return `failed: ${row.reason ?? 'no reason given'}`;
    default: {
      const unknown: never = row.outcome;
      return unknown;
    }
  }
};
