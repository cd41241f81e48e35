import { sessionOf } from './session';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: object) => `${encode({ alg: 'HS256' })}.${encode(claims)}.signature`;

describe('the session a token names', () => {
  it('reads user, organization, role and expiry, with or without the Bearer prefix', () => {
    const raw = token({ sub: 'ana', org: 'acme', role: 'viewer', exp: 42 });
    expect(sessionOf(`Bearer ${raw}\n`)).toEqual({ token: raw, user: 'ana', organization: 'acme', role: 'viewer', expires: 42 });
  });

  it('refuses what is not a token of this API, saying why', () => {
    expect(sessionOf('nope')).toEqual({ error: expect.stringContaining('three parts') });
    expect(sessionOf('a.b.c')).toEqual({ error: 'the token is not a JWT' });
    expect(sessionOf(token({ sub: 'ana', role: 'viewer' }))).toEqual({ error: expect.stringContaining('organization') });
    expect(sessionOf(token({ sub: 'ana', org: 'acme', role: 'root' }))).toEqual({ error: expect.stringContaining('viewer, operator, admin') });
  });
});
