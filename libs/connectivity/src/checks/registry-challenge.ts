/** A parsed `WWW-Authenticate` challenge, e.g. `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`. */
export interface Challenge {
  /** Lower case: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

export const parseChallenge = (header: string | undefined): Challenge | undefined => {
  const match = header?.trim().match(/^(\S+)\s*(.*)$/);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of (match[2] ?? '').matchAll(/([\w-]+)=(?:"([^"]*)"|([^\s,]*))/g))
    if (key) params[key.toLowerCase()] = quoted ?? bare ?? '';
  return { scheme: (match[1] ?? '').toLowerCase(), params };
};

/** The token endpoint a Bearer challenge names, asked for a token valid for `/v2/` itself (no scope). */
export const tokenUrl = (challenge: Challenge, username: string): string | undefined => {
  const realm = challenge.params['realm'];
  if (!realm || !/^https?:\/\//i.test(realm)) return undefined;
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  url.searchParams.set('account', username);
  return url.href;
};
