import { endpointUrl, publicUrl } from './endpoint';
import { redactDeep, redactor } from './redaction';

describe('redaction', () => {
  it('replaces every occurrence, a longer secret whole before a shorter one inside it', () => {
    const redact = redactor(['abc', 'xxabcxx', '']);
    expect(redact('1 xxabcxx 2 abc abc')).toBe('1 [redacted] 2 [redacted] [redacted]');
  });

  it('reaches strings nested in objects and arrays, leaving other values', () => {
    const redact = redactor(['s3cret']);
    expect(redactDeep({ a: 's3cret!', b: [1, 'x s3cret'], c: { d: null, e: true } }, redact)).toEqual({
      a: '[redacted]!',
      b: [1, 'x [redacted]'],
      c: { d: null, e: true },
    });
  });
});

describe('endpoints', () => {
  it('drops userinfo from what is shown and what is requested', () => {
    const base = new URL('https://u:p@host:6443/prefix/?api_key=k#top');
    expect(publicUrl(base)).toBe('https://host:6443/prefix/');
    expect(endpointUrl(base, '/version').href).toBe('https://host:6443/prefix/version');
    expect(endpointUrl(base, '').href).toBe('https://host:6443/prefix/?api_key=k#top');
  });

  it('takes an absolute URL as is', () => {
    expect(endpointUrl(new URL('https://r'), 'https://auth.example/token?service=r').href).toBe('https://auth.example/token?service=r');
  });
});
