import { randomBytes } from 'node:crypto';
import { generateMasterKey, parseMasterKey } from './master-key';

const MESSAGE = 'CREDENTIALS_MASTER_KEY must be 32 bytes, base64 or hex';

const errorOf = (value: string | undefined): Error => {
  try {
    parseMasterKey(value);
  } catch (error) {
    return error as Error;
  }
  throw new Error('parseMasterKey accepted the value');
};

describe('parseMasterKey', () => {
  const key = randomBytes(32);

  it('reads 32 bytes given as base64, with or without padding', () => {
    expect(parseMasterKey(key.toString('base64'))).toEqual(key);
    expect(parseMasterKey(key.toString('base64').replace(/=$/, ''))).toEqual(key);
  });

  it('reads 32 bytes given as 64 hex digits, either case, around whitespace', () => {
    expect(parseMasterKey(key.toString('hex'))).toEqual(key);
    expect(parseMasterKey(` ${key.toString('hex').toUpperCase()}\n`)).toEqual(key);
  });

  it.each([
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['62 hex digits', randomBytes(31).toString('hex')],
    ['a passphrase', 'correct horse battery staple, but not a key'],
    ['base64 with a stray character', `${key.toString('base64').slice(0, 42)}!=`],
  ])('refuses %s without echoing the value', (_case, value) => {
    const error = errorOf(value);
    expect(error.message).toContain(MESSAGE);
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain(value.slice(0, 8));
  });

  it('says the variable is not set when it is missing or blank', () => {
    expect(errorOf(undefined).message).toBe(`${MESSAGE} (it is not set)`);
    expect(errorOf('  ').message).toBe(`${MESSAGE} (it is not set)`);
  });
});

describe('generateMasterKey', () => {
  it('makes a fresh base64 key that parseMasterKey reads back', () => {
    const first = generateMasterKey();
    expect(parseMasterKey(first)).toHaveLength(32);
    expect(generateMasterKey()).not.toBe(first);
  });
});
