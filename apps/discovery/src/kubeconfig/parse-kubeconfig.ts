import { KubeConfig, loadYaml, type Cluster, type User } from '@kubernetes/client-node';
import { KUBECONFIG_MAX_CONTEXTS, type FieldError } from '@clp/contracts';
import { connectionFormErrors, credentialFormErrors, kindDefinition } from '@clp/connection-definitions';
import { validationFailed } from '@clp/messaging';

/** One context of a kubeconfig, as the import stores it: a `kubernetes` connection and its secret. */
export interface KubeconfigContext {
  context: string;
  cluster: string;
  user: string | null;
  /** The kubernetes connection form: `server`, `user`, `context`, `insecure_skip_tls_verify`. */
  metadata: Record<string, unknown>;
  /** The credential form: `token`, `client_certificate` + `client_key`, `username` + `password`, `certificate_authority`. */
  secret?: Record<string, string>;
  /** Why the server cannot use its credentials (a file, a plugin): nothing is stored for it. */
  unsupported?: string;
}

type Raw = Record<string, unknown>;

// The entries' fields the import reads; everything else is dropped before the library sees it.
// A file path (`token-file`, `client-key`, …) names a file on the uploader's machine: the library
// would read it from this server's disk, so it never gets one.
const CLUSTER_FIELDS = ['server', 'certificate-authority-data', 'insecure-skip-tls-verify'];
const USER_FIELDS = ['token', 'client-certificate-data', 'client-key-data', 'username', 'password'];
const UNUSABLE_USER_FIELDS: Record<string, string> = {
  'token-file': 'reads its token from a file',
  'client-certificate': 'reads its client certificate from a file',
  'client-key': 'reads its client key from a file',
  exec: 'gets its credentials from an exec plugin',
  'auth-provider': 'authenticates through an auth provider',
};
const EMBED = 'the server runs no plugins and reads no files of yours: embed the credentials (kubectl config view --flatten --raw)';
/** Aliases can repeat one value many times; more than this many characters in what is kept is refused. */
const MAX_KEPT_CHARS = 4 * 1024 * 1024;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const refuse = (field: string, reason: string) => validationFailed([{ field, reasons: [reason] }]);

/** YAML (or JSON) to a value; the parser's own message quotes the input, so only its position is kept. */
const parseYaml = (text: string): unknown => {
  try {
    return loadYaml(text);
  } catch (error) {
    const mark = (error as { name?: string; mark?: { line: number; column: number } }).mark;
    if ((error as Error).name === 'YAMLException') {
      throw refuse('kubeconfig', `is not valid YAML${mark ? ` (line ${mark.line + 1}, column ${mark.column + 1})` : ''}`);
    }
    throw refuse('kubeconfig', 'is not a kubeconfig: a YAML mapping of clusters, users and contexts');
  }
};

/** Copies the fields the import reads (strings and booleans only), counting what it keeps. */
class Sanitizer {
  kept = 0;
  readonly unusable = new Map<string, string[]>();

  entries(raw: Raw, list: string, inner: string, fields: string[], unusable: Record<string, string> = {}): Raw[] | undefined {
    const entries = raw[list];
    if (entries === undefined || entries === null) return undefined;
    if (!Array.isArray(entries)) throw refuse(list, 'must be a list');
    return entries.map((entry) => {
      // Anything but a mapping becomes an empty one, which the library reports by position.
      if (!isObject(entry)) return {};
      const body = isObject(entry[inner]) ? entry[inner] : undefined;
      const name = this.name(entry.name);
      const copy: Raw = {};
      for (const field of fields) {
        const value = body?.[field];
        if (typeof value === 'string' || typeof value === 'boolean') copy[field] = value;
        if (typeof value === 'string') this.kept += value.length;
      }
      for (const field of Object.keys(unusable)) {
        if (body?.[field] !== undefined && name !== undefined) this.unusable.set(name, [...(this.unusable.get(name) ?? []), unusable[field]]);
      }
      this.checkKept();
      return { ...(name !== undefined ? { name } : {}), ...(entry[inner] !== undefined ? { [inner]: copy } : {}) };
    });
  }

  private name(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    this.kept += value.length;
    return value;
  }

  private checkKept(): void {
    if (this.kept > MAX_KEPT_CHARS) throw refuse('kubeconfig', 'repeats values too often (YAML aliases)');
  }

  contexts(raw: Raw): Raw[] | undefined {
    const contexts = raw.contexts;
    if (contexts === undefined || contexts === null) return undefined;
    if (!Array.isArray(contexts)) throw refuse('contexts', 'must be a list');
    return contexts.map((entry) => {
      if (!isObject(entry)) return {};
      const name = this.name(entry.name);
      const body = isObject(entry.context) ? entry.context : undefined;
      const context = body ? { cluster: this.name(body.cluster), user: this.name(body.user) } : undefined;
      this.checkKept();
      return { ...(name !== undefined ? { name } : {}), ...(context ? { context } : {}) };
    });
  }
}

// The library's messages for a malformed entry name its position only, e.g. `clusters[0].cluster.server is missing`.
const libraryProblem = (error: unknown): FieldError => {
  const match = /^(clusters|users|contexts)\[(\d+)\]\.([\w.-]+) is missing$/.exec((error as Error)?.message ?? '');
  return match ? { field: `${match[1]}[${match[2]}].${match[3]}`, reasons: ['is missing'] } : { field: 'kubeconfig', reasons: ['is not a kubeconfig'] };
};

const duplicates = (names: string[]): string[] => [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];

const secretOf = (user: User | undefined, cluster: Cluster): Record<string, string> | undefined => {
  if (!user) return undefined;
  const fields: Record<string, string | undefined> = {
    token: user.token,
    client_certificate: user.certData,
    client_key: user.keyData,
    username: user.username,
    password: user.password,
  };
  const secret = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  if (Object.keys(secret).length === 0) return undefined;
  return { ...secret, ...(cluster.caData ? { certificate_authority: cluster.caData } : {}) };
};

const serverProblems = (cluster: Cluster): string[] => {
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    return ['is not a URL'];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return ['must be an https or http URL'];
  // It would be stored in the connection's metadata, which events carry: credentials belong in the user.
  if (url.username || url.password) return ['must not carry a user name or password: put them in the user'];
  return [];
};

/**
 * Reads a kubeconfig into the connections it describes, one per context, or refuses it whole
 * with `validation_failed` naming every problem found (context, cluster, user), before anything
 * is stored. Messages name entries, never values: a kubeconfig is full of secrets.
 */
export const parseKubeconfig = (text: string): KubeconfigContext[] => {
  const raw = parseYaml(text);
  if (!isObject(raw)) throw refuse('kubeconfig', 'is not a kubeconfig: a YAML mapping of clusters, users and contexts');
  const sanitizer = new Sanitizer();
  const sanitized = {
    clusters: sanitizer.entries(raw, 'clusters', 'cluster', CLUSTER_FIELDS),
    users: sanitizer.entries(raw, 'users', 'user', USER_FIELDS, UNUSABLE_USER_FIELDS),
    contexts: sanitizer.contexts(raw),
  };
  const config = new KubeConfig();
  try {
    config.loadFromString(JSON.stringify(sanitized));
  } catch (error) {
    throw validationFailed([libraryProblem(error)]);
  }

  const contexts = config.getContexts();
  if (contexts.length === 0) throw refuse('contexts', 'the kubeconfig has no contexts');
  if (contexts.length > KUBECONFIG_MAX_CONTEXTS) throw refuse('contexts', `at most ${KUBECONFIG_MAX_CONTEXTS} contexts can be imported at once`);
  const problems: FieldError[] = [];
  for (const [list, names] of [
    ['contexts', contexts.map((c) => c.name)],
    ['clusters', config.getClusters().map((c) => c.name)],
    ['users', config.getUsers().map((u) => u.name)],
  ] as const) {
    for (const name of duplicates(names)) problems.push({ field: `${list}[${name}]`, reasons: ['is defined more than once'] });
  }

  const definition = kindDefinition('kubernetes');
  const imported: KubeconfigContext[] = [];
  for (const context of contexts) {
    const at = `contexts[${context.name}]`;
    const cluster = config.getCluster(context.cluster) ?? undefined;
    const user = context.user ? (config.getUser(context.user) ?? undefined) : undefined;
    if (context.name.length > 100) problems.push({ field: at, reasons: ['the context name is longer than 100 characters'] });
    if (!cluster) problems.push({ field: `${at}.cluster`, reasons: [`references the cluster "${context.cluster}", which the kubeconfig does not define`] });
    if (context.user && !user) problems.push({ field: `${at}.user`, reasons: [`references the user "${context.user}", which the kubeconfig does not define`] });
    if (!cluster || (context.user && !user)) continue;

    const metadata: Record<string, unknown> = {
      server: cluster.server,
      context: context.name,
      ...(user ? { user: user.name } : {}),
      ...(cluster.skipTLSVerify ? { insecure_skip_tls_verify: true } : {}),
    };
    const serverErrors = serverProblems(cluster);
    if (serverErrors.length) problems.push({ field: `clusters[${cluster.name}].server`, reasons: serverErrors });
    for (const error of connectionFormErrors(definition, metadata)) {
      problems.push({ field: error.field.replace(/^metadata\.(server|insecure_skip_tls_verify)$/, `clusters[${cluster.name}].$1`).replace(/^metadata\.(user|context)$/, `${at}.$1`), reasons: error.reasons });
    }
    const secret = secretOf(user, cluster);
    if (secret && credentialFormErrors(definition, secret).length) {
      problems.push({ field: `users[${user?.name}]`, reasons: ['needs a token, a client certificate with its key, or a user name with a password (at most 65536 characters each)'] });
    }
    const unusable = user && !secret ? sanitizer.unusable.get(user.name) : undefined;
    imported.push({
      context: context.name,
      cluster: cluster.name,
      user: user?.name ?? null,
      metadata,
      ...(secret ? { secret } : {}),
      ...(unusable ? { unsupported: `the user "${user?.name}" ${unusable.join(' and ')}; ${EMBED}` } : {}),
    });
  }
  if (problems.length) throw validationFailed(dedupe(problems));
  return imported;
};

const dedupe = (problems: FieldError[]): FieldError[] => {
  const byField = new Map<string, Set<string>>();
  for (const { field, reasons } of problems) byField.set(field, new Set([...(byField.get(field) ?? []), ...reasons]));
  return [...byField].map(([field, reasons]) => ({ field, reasons: [...reasons] }));
};
