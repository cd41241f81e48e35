import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { VaultError } from './vault-error';

/** A credential's secret fields, e.g. `{ token: '…' }`. Only their names may leave the vault. */
export type Secret = Record<string, string>;

/** One AES-256-GCM encryption, base64 fields. */
export interface SealedBox {
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * What the vault stores per credential: a fresh data key wrapped by the master key, and the secret
 * (JSON) encrypted by that data key. Both bind the credential id as additional authenticated data,
 * so an envelope copied under another id does not open.
 */
export interface SealedSecret {
  version: 1;
  algorithm: 'AES-256-GCM';
  data_key: SealedBox;
  secret: SealedBox;
}

/** A Buffer, or a KeyObject so the key bytes never sit in an inspectable field. */
export type MasterKey = Buffer | KeyObject;

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
// Pinned on decryption too: GCM would otherwise accept a truncated tag.
const TAG_BYTES = 16;

const encrypt = (key: MasterKey, plaintext: Buffer, aad: Buffer): SealedBox => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES }).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
};

const decrypt = (key: MasterKey, box: SealedBox, aad: Buffer): Buffer => {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(box.iv, 'base64'), { authTagLength: TAG_BYTES })
    .setAAD(aad)
    .setAuthTag(Buffer.from(box.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(box.ciphertext, 'base64')), decipher.final()]);
};

const isSecret = (value: unknown): value is Secret =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((field) => typeof field === 'string');

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const decodedLength = (text: unknown): number => (typeof text === 'string' && BASE64.test(text) ? Buffer.from(text, 'base64').length : -1);

const isBox = (value: unknown, ciphertextBytes?: number): value is SealedBox => {
  if (typeof value !== 'object' || value === null) return false;
  const box = value as Partial<SealedBox>;
  const length = decodedLength(box.ciphertext);
  return (
    decodedLength(box.iv) === IV_BYTES &&
    decodedLength(box.tag) === TAG_BYTES &&
    (ciphertextBytes === undefined ? length >= 0 : length === ciphertextBytes)
  );
};

const isSealedSecret = (value: unknown): value is SealedSecret => {
  if (typeof value !== 'object' || value === null) return false;
  const sealed = value as Partial<SealedSecret>;
  return sealed.version === 1 && sealed.algorithm === 'AES-256-GCM' && isBox(sealed.data_key, KEY_BYTES) && isBox(sealed.secret);
};

export const seal = (credentialId: string, secret: Secret, masterKey: MasterKey): SealedSecret => {
  if (!isSecret(secret)) throw new VaultError(`credential ${credentialId}: a secret is an object of string fields`);
  const aad = Buffer.from(credentialId, 'utf8');
  const dataKey = randomBytes(KEY_BYTES);
  const plaintext = Buffer.from(JSON.stringify(secret), 'utf8');
  try {
    return { version: 1, algorithm: 'AES-256-GCM', data_key: encrypt(masterKey, dataKey, aad), secret: encrypt(dataKey, plaintext, aad) };
  } finally {
    dataKey.fill(0);
    plaintext.fill(0);
  }
};

export const unseal = (credentialId: string, sealed: SealedSecret, masterKey: MasterKey): Secret => {
  if (!isSealedSecret(sealed)) throw new VaultError(`credential ${credentialId}: the stored secret is not a sealed secret (version 1)`);
  const aad = Buffer.from(credentialId, 'utf8');
  let dataKey: Buffer | undefined;
  let plaintext: Buffer | undefined;
  try {
    dataKey = decrypt(masterKey, sealed.data_key, aad);
    plaintext = decrypt(dataKey, sealed.secret, aad);
    const secret: unknown = JSON.parse(plaintext.toString('utf8'));
    if (isSecret(secret)) return secret;
  } catch {
    // GCM cannot tell a wrong key from an altered envelope, so neither does the message.
    throw new VaultError(
      `credential ${credentialId}: the secret could not be opened (wrong master key, or the envelope was altered or belongs to another credential)`,
    );
  } finally {
    dataKey?.fill(0);
    plaintext?.fill(0);
  }
  throw new VaultError(`credential ${credentialId}: the opened secret is not an object of string fields`);
};
