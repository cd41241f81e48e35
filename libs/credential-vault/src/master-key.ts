import { randomBytes } from 'node:crypto';

const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const INVALID = 'CREDENTIALS_MASTER_KEY must be 32 bytes, base64 or hex';

/**
 * The master key from the environment. Errors never echo the value: a mistyped key is still
 * close to the real one.
 */
export const parseMasterKey = (value: string | undefined): Buffer => {
  const text = value?.trim();
  if (!text) throw new Error(`${INVALID} (it is not set)`);
  // Hex first: 64 hex digits are also valid base64, of the wrong length.
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (BASE64.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new Error(INVALID);
};

/** A fresh master key (base64) for local runs; production keys come from the secret store. */
export const generateMasterKey = (): string => randomBytes(KEY_BYTES).toString('base64');
