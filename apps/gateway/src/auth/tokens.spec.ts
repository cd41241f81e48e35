import { ReplyError } from '@clp/contracts';
import { issueToken, TokenVerifier } from './tokens';

const SECRET = 'a-test-secret-of-enough-length-for-hs256';

describe('token verification', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a token it verified before from memory, and only until the token expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T10:00:00Z') });
    const verifier = new TokenVerifier(SECRET);
    const token = issueToken(SECRET, { org: 'org-1', user: 'alice', role: 'operator' }, '60s');
    const caller = { organization_id: 'org-1', user_id: 'alice', role: 'operator' };
    expect(await verifier.callerOf(`Bearer ${token}`)).toEqual(caller);
    expect(await verifier.callerOf(`Bearer ${token}`)).toEqual(caller);

    jest.setSystemTime(new Date('2026-11-21T10:01:01Z'));
    await expect(verifier.callerOf(`Bearer ${token}`)).rejects.toEqual(new ReplyError('unauthorized', 'the token has expired'));
  });

  it('never remembers a token it refused', async () => {
    const verifier = new TokenVerifier(SECRET);
    const forged = issueToken('another-secret-of-enough-length-for-hs256', { org: 'org-1', user: 'mallory', role: 'admin' });
    for (let i = 0; i < 2; i++) await expect(verifier.callerOf(`Bearer ${forged}`)).rejects.toBeInstanceOf(ReplyError);
  });
});
