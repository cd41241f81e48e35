import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { connect, type JetStreamManager, type KV, type NatsConnection } from 'nats';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { CredentialVault } from './credential-vault';
import type { Secret } from './sealed-secret';
import { envelopeBytes, holding, storedEnvelope, storedFiles, storedMessages } from './stored-bytes.fixtures';
import { VaultError } from './vault-error';

const BUCKET = 'credential-secrets';

/** The ways a key's bytes show when printed: base64, hex, a Buffer's inspection, a Buffer's JSON. */
const keyForms = (key: Buffer): string[] => [
  key.toString('base64'),
  key.toString('hex'),
  key.toString('hex').replace(/(..)(?!$)/g, '$1 '),
  key.toJSON().data.join(','),
];
const STREAM = `KV_${BUCKET}`;

describe('credential vault on a real nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let other: NatsConnection;
  let jsm: JetStreamManager;
  let kv: KV;
  let vault: CredentialVault;
  const masterKey = randomBytes(32);
  const plaintexts: string[] = [];

  /** A secret with values unique to this run, remembered so the last test can look for them. */
  const newSecret = (): Secret => {
    const secret = { token: `token-${randomUUID()}`, password: `password-${randomUUID()}` };
    plaintexts.push(...Object.values(secret));
    return secret;
  };

  const messages = () => storedMessages(jsm, STREAM);
  const files = () => storedFiles(server.dir);

  beforeAll(async () => {
    server = await startNats();
    nc = await connect({ servers: server.url });
    other = await connect({ servers: server.url });
    jsm = await nc.jetstreamManager();
    vault = await CredentialVault.create(nc, masterKey);
    kv = await nc.jetstream().views.kv(BUCKET);
  });

  afterAll(async () => {
    await other.close();
    await nc.close();
    await server.stop();
  });

  it('gets back what it put, and nothing for an unknown credential', async () => {
    const id = randomUUID();
    const secret = newSecret();
    await vault.put(id, secret);
    expect(await vault.get(id)).toEqual(secret);
    expect(await vault.get(randomUUID())).toBeUndefined();
  });

  it('rotates: the new secret is served and the stream keeps no trace of the old envelope', async () => {
    const id = randomUUID();
    const old = newSecret();
    await vault.put(id, old);
    expect(holding(await messages(), Object.values(old))).toEqual([]);
    const oldEnvelope = await storedEnvelope(kv, id);
    await waitFor(() => holding(files(), envelopeBytes(oldEnvelope)).length === 2, { message: 'old envelope written to disk' });

    const rotated = newSecret();
    await vault.put(id, rotated);

    expect(await vault.get(id)).toEqual(rotated);
    expect(holding(await messages(), [...envelopeBytes(oldEnvelope), ...Object.values(old)])).toEqual([]);
    // Not on disk either: the previous envelope was erased, not merely dropped from the index.
    expect(holding(files(), envelopeBytes(oldEnvelope))).toEqual([]);
    expect(holding(await messages(), envelopeBytes(await storedEnvelope(kv, id)))).toHaveLength(2);
  });

  it('destroys: nothing to get, and neither the stream nor the disk holds the envelope', async () => {
    const id = randomUUID();
    const kept = randomUUID();
    const secret = newSecret();
    await vault.put(id, secret);
    await vault.put(kept, newSecret());
    const envelope = envelopeBytes(await storedEnvelope(kv, id));
    // Proves the disk check below can see a stored envelope at all.
    await waitFor(() => holding(files(), envelope).length === 2, { message: 'envelope written to disk' });

    await vault.destroy(id);

    expect(await vault.get(id)).toBeUndefined();
    expect(holding(await messages(), [...envelope, ...Object.values(secret)])).toEqual([]);
    expect(holding(files(), [...envelope, ...Object.values(secret)])).toEqual([]);
    // The purge marker remains so watchers see the deletion; it carries no data.
    expect((await kv.get(id))?.operation).toBe('PURGE');
    expect((await kv.get(id))?.value).toHaveLength(0);
    expect(await vault.get(kept)).toBeDefined();
  });

  it('destroys a credential it never stored, and stores a destroyed one again', async () => {
    const id = randomUUID();
    await vault.destroy(id);
    expect(await vault.get(id)).toBeUndefined();

    const secret = newSecret();
    await vault.put(id, secret);
    expect(await vault.get(id)).toEqual(secret);
  });

  it('serves another replica what one wrote, rotated and destroyed', async () => {
    const replica = await CredentialVault.create(other, Buffer.from(masterKey));
    const id = randomUUID();
    const first = newSecret();
    await vault.put(id, first);
    expect(await replica.get(id)).toEqual(first);

    const second = newSecret();
    await vault.put(id, second);
    expect(await replica.get(id)).toEqual(second);

    await replica.destroy(id);
    expect(await vault.get(id)).toBeUndefined();
  });

  it('refuses to open with another master key, with an error that gives nothing away', async () => {
    const wrongKey = randomBytes(32);
    const stranger = await CredentialVault.create(other, wrongKey);
    const id = randomUUID();
    const secret = newSecret();
    await vault.put(id, secret);

    const error = await stranger.get(id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultError);
    const message = String((error as Error).message);
    for (const text of [...Object.values(secret), ...keyForms(masterKey), ...keyForms(wrongKey)]) expect(message).not.toContain(text);
  });

  it('shows no key when logged, stringified or inspected', () => {
    const shown = [inspect(vault), inspect(vault, { showHidden: true, depth: 10 }), JSON.stringify(vault), String(vault), `${Object.keys(vault)}`];
    for (const text of shown) for (const form of keyForms(masterKey)) expect(text).not.toContain(form);
    expect(JSON.stringify(vault)).toBe(JSON.stringify({ bucket: BUCKET }));
  });

  it('refuses a bucket that keeps more than one revision per key', async () => {
    await nc.jetstream().views.kv('secrets-with-history', { history: 5 });
    await expect(CredentialVault.create(nc, masterKey, 'secrets-with-history')).rejects.toThrow(VaultError);
  });

  it('refuses a master key that is not 32 bytes', async () => {
    await expect(CredentialVault.create(nc, randomBytes(16))).rejects.toThrow(VaultError);
  });

  // Last: looks for every plaintext the tests above stored, rotated or destroyed.
  it('never stored a plaintext secret, in the stream or on disk', async () => {
    expect(plaintexts.length).toBeGreaterThan(10);
    expect(holding(await messages(), plaintexts)).toEqual([]);
    expect(holding(files(), plaintexts)).toEqual([]);
  });
});
