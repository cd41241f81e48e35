import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JetStreamManager, KV } from 'nats';
import type { SealedSecret } from './sealed-secret';

/** What a reader of the raw stream gets: every stored message, headers and data as bytes. */
export const storedMessages = async (jsm: JetStreamManager, stream: string): Promise<Buffer[]> => {
  const { state } = await jsm.streams.info(stream);
  const messages: Buffer[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (!message) continue;
    const headers = message.header ? [...message.header.keys()].map((key) => `${key}: ${message.header.values(key).join(',')}`) : [];
    messages.push(Buffer.concat([Buffer.from(`${message.subject}\n${headers.join('\n')}\n`), Buffer.from(message.data)]));
  }
  return messages;
};

/** What someone with the server's disk gets: every file under its data directory. */
export const storedFiles = (dir: string): Buffer[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath ?? entry.path, entry.name)));

/** The stored byte strings among `stored` that contain any of `needles`. */
export const holding = (stored: Buffer[], needles: string[]): string[] =>
  needles.filter((needle) => stored.some((bytes) => bytes.includes(needle)));

/** The envelope as it sits in the bucket, read around the vault. */
export const storedEnvelope = async (kv: KV, credentialId: string): Promise<SealedSecret> => {
  const entry = await kv.get(credentialId);
  if (!entry || entry.operation !== 'PUT') throw new Error(`no envelope stored for ${credentialId}`);
  return JSON.parse(Buffer.from(entry.value).toString('utf8')) as SealedSecret;
};

/** The base64 strings that would let someone with the master key open the envelope. */
export const envelopeBytes = (sealed: SealedSecret): string[] => [sealed.data_key.ciphertext, sealed.secret.ciphertext];
