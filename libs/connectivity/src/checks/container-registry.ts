import { headerOf, httpFailure, jsonOf, stringAt, type Check } from '../check';
import type { Authentication } from '../credential';
import { CheckFailed } from '../failure';
import type { HttpGet } from '../http-session';
import { parseChallenge, tokenUrl, type Challenge } from './registry-challenge';

const V2 = '/v2/';

// Token auth (Docker Hub, GHCR, Harbor, GitLab): a username and password are traded at the
// challenge's realm for a bearer token, and /v2/ must accept that token.
const viaToken = async (get: HttpGet, challenge: Challenge, auth: Authentication): Promise<boolean> => {
  const url = auth.basic && auth.authorization?.startsWith('Basic ') ? tokenUrl(challenge, auth.basic.username) : undefined;
  if (!url) return false;
  const reply = await get(url, { authorization: auth.authorization ?? '' });
  if (reply.status !== 200) throw new CheckFailed(`HTTP ${reply.status} from the registry's token service (credential rejected)`);
  const body = jsonOf(reply);
  const token = stringAt(body, 'token') ?? stringAt(body, 'access_token');
  if (!token) throw new CheckFailed("no token from the registry's token service");
  return (await get(V2, { authorization: `Bearer ${token}` })).status === 200;
};

/**
 * Without a credential a 401 with a challenge still proves a registry answers: public registries
 * (Docker Hub) challenge every anonymous /v2/ and serve public images all the same, so it passes
 * with `authenticated: false`. With a credential, only a 200 (directly or through a token) passes.
 */
export const containerRegistry: Check = {
  describe: () => `GET ${V2}`,
  run: async (get, auth) => {
    const reply = await get(V2);
    const apiVersion = headerOf(reply, 'docker-distribution-api-version');
    const facts = apiVersion ? { api_version: apiVersion } : {};
    if (reply.status === 200) return { ...facts, authenticated: auth.authorization !== undefined };
    if (reply.status !== 401) throw httpFailure(reply);

    const challenge = parseChallenge(headerOf(reply, 'www-authenticate'));
    if (!challenge) throw new CheckFailed(`HTTP 401 from ${V2} without a challenge: not a registry`);
    if (!auth.authorization) return { ...facts, authenticated: false, auth_scheme: challenge.scheme };
    if (challenge.scheme === 'bearer' && (await viaToken(get, challenge, auth)))
      return { ...facts, authenticated: true, auth_scheme: challenge.scheme };
    throw new CheckFailed(`HTTP 401 from ${V2} (unauthorized: check the credential)`);
  },
};
