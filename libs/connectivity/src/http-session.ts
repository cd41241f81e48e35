import { Agent, request } from 'undici';
import type { Authentication } from './credential';
import { endpointUrl } from './endpoint';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The path that answered, for messages: never the query or userinfo. */
  path: string;
}

/** GET of a path under the target's URL (or an absolute URL), with the test's authentication. */
export type HttpGet = (pathOrUrl: string, headers?: Record<string, string>) => Promise<HttpReply>;

export interface HttpSession {
  get: HttpGet;
  close(): Promise<void>;
}

// Enough for any JSON these checks read; a generic URL may stream forever.
const MAX_BODY_BYTES = 1024 * 1024;

const readBounded = async (body: AsyncIterable<Buffer>): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
};

/**
 * One agent per test: its TLS options (CA, client certificate, verification) belong to this
 * target alone, and destroying it closes every socket the test opened.
 */
export const openHttpSession = (
  base: URL,
  auth: Authentication,
  options: { insecure: boolean; signal: AbortSignal },
): HttpSession => {
  const agent = new Agent({ connect: { ...auth.tls, rejectUnauthorized: !options.insecure } });
  const defaults: Record<string, string> = { accept: 'application/json, */*;q=0.5', 'user-agent': 'clp-connectivity' };
  if (auth.authorization) defaults['authorization'] = auth.authorization;

  const get: HttpGet = async (pathOrUrl, headers = {}) => {
    const url = endpointUrl(base, pathOrUrl);
    const response = await request(url, {
      method: 'GET',
      dispatcher: agent,
      signal: options.signal,
      headers: { ...defaults, ...headers },
    });
    const text = await readBounded(response.body);
    return { status: response.statusCode, headers: response.headers, text, path: url.pathname };
  };

  return { get, close: () => agent.destroy().catch(() => undefined) };
};
