/** How the requests of one test authenticate, derived from the credential and the URL's userinfo. */
export interface Authentication {
  /** The `Authorization` header every request sends, if any. */
  authorization?: string;
  /** Kept for protocols that trade a username and password for a token (registry token auth). */
  basic?: { username: string; password: string };
  tls: { ca?: string; cert?: string; key?: string };
  /** Every secret value, in every form it could be echoed in, for redaction. */
  secrets: string[];
}

const PEM_HEADER = '-----BEGIN';

// A kubeconfig carries certificates as base64 of the PEM (`client-certificate-data`); accept both.
export const pemOf = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  if (value.includes(PEM_HEADER)) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes(PEM_HEADER) ? decoded : value;
};

// A secret may contain a bare `%`; only the forms it can really take are worth redacting.
const decodedOrSelf = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const basicHeader = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const userinfoOf = (url: URL): { username: string; password: string } | undefined =>
  url.username || url.password
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;

export const authenticationOf = (url: URL, credential: Record<string, string> = {}): Authentication => {
  const fromCredential =
    credential['username'] !== undefined && credential['password'] !== undefined
      ? { username: credential['username'], password: credential['password'] }
      : undefined;
  const basic = fromCredential ?? userinfoOf(url);
  // Prometheus' and Grafana's API keys are bearer tokens (Grafana: `Authorization: Bearer <key>`).
  const token = credential['token'] ?? credential['api_key'];
  const authorization = token ? `Bearer ${token}` : basic ? basicHeader(basic.username, basic.password) : undefined;

  const values = [...Object.values(credential), url.username, url.password].filter((value) => value.length > 0);
  const secrets = [
    ...values.flatMap((value) => [value, decodedOrSelf(value), encodeURIComponent(value)]),
    ...(authorization ? [authorization, authorization.replace(/^\w+ /, '')] : []),
  ];
  return {
    authorization,
    basic,
    tls: {
      ca: pemOf(credential['certificate_authority']),
      cert: pemOf(credential['client_certificate']),
      key: pemOf(credential['client_key']),
    },
    secrets: [...new Set(secrets)],
  };
};
