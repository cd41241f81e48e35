import { CheckFailed, describeFailure } from './failure';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('describeFailure', () => {
  it('names the timeout above whatever the abort made the request throw', () => {
    expect(describeFailure(withCode('ECONNRESET'), true, 500)).toBe('timed out after 500 ms');
  });

  it('keeps the message of a check failure', () => {
    expect(describeFailure(new CheckFailed('HTTP 503 from /-/ready'), false, 500)).toBe('HTTP 503 from /-/ready');
  });

  it('maps socket and TLS codes, also in a cause', () => {
    expect(describeFailure(withCode('ECONNREFUSED'), false, 500)).toBe('connection refused');
    expect(describeFailure(new TypeError('fetch failed', { cause: withCode('ENOTFOUND') }), false, 500)).toBe('host not found');
    expect(describeFailure(withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), false, 500)).toMatch(/^TLS: self-signed/);
  });

  it('falls back to a shortened message', () => {
    expect(describeFailure(new Error('x'.repeat(500)), false, 500)).toHaveLength(200);
    expect(describeFailure('', false, 500)).toBe('request failed');
  });
});
