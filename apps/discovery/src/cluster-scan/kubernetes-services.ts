import { ApiException, CoreV1Api, KubeConfig, Observable, type ObservableMiddleware, type V1Service } from '@kubernetes/client-node';

/** How to reach one cluster: its connection's metadata and the secret of its credential. */
export interface ClusterAccess {
  server: string;
  insecureSkipTlsVerify: boolean;
  secret?: Record<string, string>;
}

/** Why listing failed, in words safe to show: never a secret, never the server's body. */
export class ListFailed extends Error {}

const PAGE = 500;
const PEM_HEADER = '-----BEGIN';

// A credential stores certificates as PEM or as the base64 of the PEM (a kubeconfig's `*-data`);
// the library takes the latter.
const base64Pem = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : value.includes(PEM_HEADER) ? Buffer.from(value).toString('base64') : value;

/**
 * A client of exactly this cluster and credential, built from options rather than a kubeconfig
 * file, so nothing but what is given is used (no exec plugin, no file, no environment).
 */
const clientOf = (access: ClusterAccess): CoreV1Api => {
  const secret = access.secret ?? {};
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'cluster', server: access.server, caData: base64Pem(secret.certificate_authority), skipTLSVerify: access.insecureSkipTlsVerify }],
    users: [
      {
        name: 'user',
        token: secret.token,
        certData: base64Pem(secret.client_certificate),
        keyData: base64Pem(secret.client_key),
        username: secret.username,
        password: secret.password,
      },
    ],
    contexts: [{ name: 'scan', cluster: 'cluster', user: 'user' }],
    currentContext: 'scan',
  });
  return config.makeApiClient(CoreV1Api);
};

// The generated client takes no timeout; its requests take an AbortSignal through a middleware.
const abortingWith = (signal: AbortSignal): ObservableMiddleware => ({
  pre: (request) => {
    request.setSignal(signal);
    return new Observable(Promise.resolve(request));
  },
  post: (response) => new Observable(Promise.resolve(response)),
});

const describe = (error: unknown, signal: AbortSignal, timeoutMs: number): string => {
  if (signal.aborted) return `the Kubernetes API did not answer within ${timeoutMs} ms`;
  if (error instanceof ApiException) return `the Kubernetes API answered HTTP ${error.code} to the list of Services`;
  // Node's codes (ECONNREFUSED, CERT_HAS_EXPIRED, …) say what happened without quoting anything.
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return `the Kubernetes API could not be reached${typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : ''}`;
};

/** Every Service of the cluster (`GET /api/v1/services`, page by page), within `timeoutMs` in all. */
export const listServices = async (access: ClusterAccess, timeoutMs: number): Promise<V1Service[]> => {
  const api = clientOf(access);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const options = { middleware: [abortingWith(controller.signal)], middlewareMergeStrategy: 'append' as const };
  const services: V1Service[] = [];
  try {
    let next: string | undefined;
    do {
      const page = await api.listServiceForAllNamespaces({ limit: PAGE, _continue: next }, options);
      services.push(...page.items);
      next = page.metadata?._continue || undefined;
    } while (next);
    return services;
  } catch (error) {
    throw new ListFailed(describe(error, controller.signal, timeoutMs));
  } finally {
    clearTimeout(timer);
  }
};
