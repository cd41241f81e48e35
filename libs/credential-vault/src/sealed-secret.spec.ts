import { randomBytes } from 'node:crypto';
import { seal, unseal, type SealedSecret } from './sealed-secret';
import { VaultError } from './vault-error';

const ID = 'cred-1';
const SECRET = { token: 'glpat-super-secret-token', username: 'ops' };
const masterKey = randomBytes(32);

const vaultErrorOf = (open: () => unknown): VaultError => {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('the sealed secret opened');
};

/** Neither the secret's values nor any key material may be in an error message. */
const expectNothingSecretIn = (message: string, key: Buffer = masterKey) => {
  for (const value of Object.values(SECRET)) expect(message).not.toContain(value);
  for (const encoding of ['base64', 'hex'] as const) expect(message).not.toContain(key.toString(encoding));
};

/** Flips one bit of a base64 field. */
const flip = (base64: string): string => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 1;
  return bytes.toString('base64');
};

describe('seal and unseal', () => {
  it('round-trips a secret', () => {
    expect(unseal(ID, seal(ID, SECRET, masterKey), masterKey)).toEqual(SECRET);
  });

  it('survives JSON, as stored', () => {
    const stored = JSON.parse(JSON.stringify(seal(ID, SECRET, masterKey))) as SealedSecret;
    expect(unseal(ID, stored, masterKey)).toEqual(SECRET);
  });

  it('holds no plaintext', () => {
    const text = JSON.stringify(seal(ID, SECRET, masterKey));
    for (const value of Object.values(SECRET)) expect(text).not.toContain(value);
    expect(text).not.toContain(masterKey.toString('base64'));
  });

  it('seals the same secret differently each time: new data key, new ivs', () => {
    const first = seal(ID, SECRET, masterKey);
    const second = seal(ID, SECRET, masterKey);
    expect(second.data_key.ciphertext).not.toBe(first.data_key.ciphertext);
    expect(second.data_key.iv).not.toBe(first.data_key.iv);
    expect(second.secret.ciphertext).not.toBe(first.secret.ciphertext);
    expect(second.secret.iv).not.toBe(first.secret.iv);
  });

  it('refuses the wrong master key with a VaultError that gives nothing away', () => {
    const wrongKey = randomBytes(32);
    const error = vaultErrorOf(() => unseal(ID, seal(ID, SECRET, masterKey), wrongKey));
    expect(error.message).toContain(ID);
    expectNothingSecretIn(error.message);
    expectNothingSecretIn(error.message, wrongKey);
  });

  it.each([
    ['the wrapped data key', (s: SealedSecret): SealedSecret => ({ ...s, data_key: { ...s.data_key, ciphertext: flip(s.data_key.ciphertext) } })],
    ['the data key tag', (s: SealedSecret): SealedSecret => ({ ...s, data_key: { ...s.data_key, tag: flip(s.data_key.tag) } })],
    ['the secret ciphertext', (s: SealedSecret): SealedSecret => ({ ...s, secret: { ...s.secret, ciphertext: flip(s.secret.ciphertext) } })],
    ['the secret iv', (s: SealedSecret): SealedSecret => ({ ...s, secret: { ...s.secret, iv: flip(s.secret.iv) } })],
    ['the secret tag', (s: SealedSecret): SealedSecret => ({ ...s, secret: { ...s.secret, tag: flip(s.secret.tag) } })],
  ])('refuses an envelope with %s altered', (_case, tamper) => {
    const error = vaultErrorOf(() => unseal(ID, tamper(seal(ID, SECRET, masterKey)), masterKey));
    expectNothingSecretIn(error.message);
  });

  it('refuses the secret of one envelope under the data key of another', () => {
    const first = seal(ID, SECRET, masterKey);
    const second = seal(ID, { token: 'other' }, masterKey);
    vaultErrorOf(() => unseal(ID, { ...first, secret: second.secret }, masterKey));
  });

  it('refuses a truncated tag, which GCM would otherwise accept', () => {
    const sealed = seal(ID, SECRET, masterKey);
    const short = Buffer.from(sealed.secret.tag, 'base64').subarray(0, 4).toString('base64');
    vaultErrorOf(() => unseal(ID, { ...sealed, secret: { ...sealed.secret, tag: short } }, masterKey));
  });

  it('binds the envelope to its credential id: it does not open under another', () => {
    const error = vaultErrorOf(() => unseal('cred-2', seal(ID, SECRET, masterKey), masterKey));
    expectNothingSecretIn(error.message);
  });

  it.each([
    ['another version', { version: 2 }],
    ['no data key', { data_key: undefined }],
    ['a secret that is not base64', { secret: { iv: 'x', tag: 'y', ciphertext: '%%%' } }],
  ])('refuses an envelope with %s', (_case, change) => {
    const sealed = { ...seal(ID, SECRET, masterKey), ...change } as unknown as SealedSecret;
    expectNothingSecretIn(vaultErrorOf(() => unseal(ID, sealed, masterKey)).message);
  });

  it('seals only objects of string fields, naming no value', () => {
    const error = vaultErrorOf(() => seal(ID, { token: 42 } as unknown as Record<string, string>, masterKey));
    expect(error.message).not.toContain('42');
  });
});
