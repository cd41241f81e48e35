import { createSecretKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { StringCodec, type JetStreamManager, type KV, type NatsConnection, type NatsError } from 'nats';
import { seal, unseal, type Secret, type SealedSecret } from './sealed-secret';
import { VaultError } from './vault-error';

const codec = StringCodec();
const MASTER_KEY_BYTES = 32;
// Two revisions per key: a put keeps the previous envelope until the vault has erased it itself,
// where with one the server would drop it unerased (its bytes left on disk).
const HISTORY = 2;
// What nats-server 2.9 answers when the revision to erase is already gone: "no message found"
// (10057), or "sequence N not found" (10043) when a concurrent erase took it first.
const ALREADY_GONE = [10057, 10043];

const isNoMessageFound = (error: unknown): boolean => ALREADY_GONE.includes((error as Partial<NatsError>)?.api_error?.err_code ?? 0);

/**
 * Credential secrets, sealed, in a JetStream key-value bucket keyed by credential id: durable,
 * where Redis may run without persistence (design.md §5), and shared by every replica of the service.
 * A rotation erases the previous envelope securely, so no old secret stays in the stream or on disk.
 */
export class CredentialVault {
  // A KeyObject in a private field: not enumerable, and inspecting it shows no key bytes.
  readonly #masterKey: KeyObject;

  private constructor(
    readonly bucket: string,
    private readonly kv: KV,
    private readonly jsm: JetStreamManager,
    masterKey: KeyObject,
  ) {
    this.#masterKey = masterKey;
  }

  static async create(nc: NatsConnection, masterKey: Buffer, bucket = 'credential-secrets'): Promise<CredentialVault> {
    if (masterKey.length !== MASTER_KEY_BYTES) throw new VaultError(`the master key must be ${MASTER_KEY_BYTES} bytes`);
    const kv = await nc.jetstream().views.kv(bucket, { history: HISTORY });
    // An existing bucket keeps its own settings: another history would keep old secrets or drop them unerased.
    const { history } = await kv.status();
    if (history !== HISTORY) throw new VaultError(`bucket ${bucket} keeps ${history} revisions per key; the vault needs ${HISTORY}`);
    return new CredentialVault(bucket, kv, await nc.jetstreamManager(), createSecretKey(masterKey));
  }

  /** Creates or rotates: every connection using the credential reads the new secret next. */
  async put(credentialId: string, secret: Secret): Promise<void> {
    const revision = await this.kv.put(credentialId, codec.encode(JSON.stringify(seal(credentialId, secret, this.#masterKey))));
    await this.eraseRevisions(credentialId, (r) => r < revision);
  }

  async get(credentialId: string): Promise<Secret | undefined> {
    const entry = await this.kv.get(credentialId);
    if (!entry || entry.operation !== 'PUT') return undefined;
    let sealed: SealedSecret;
    try {
      sealed = JSON.parse(codec.decode(entry.value)) as SealedSecret;
    } catch {
      throw new VaultError(`credential ${credentialId}: the stored secret is not JSON`);
    }
    return unseal(credentialId, sealed, this.#masterKey);
  }

  /**
   * Makes the secret unrecoverable. On nats-server 2.9, `kv.delete`, `kv.purge` and a filtered
   * stream purge only drop the message from the stream's index: its bytes stay in the block file
   * on disk, where the master key would still open them. A secure erase overwrites them, so the
   * current revision is erased first, then purged so other replicas' watchers see the deletion.
   */
  async destroy(credentialId: string): Promise<void> {
    // Erasing the newest revision makes an older one (a rotation in flight) the newest: repeat.
    for (;;) {
      const entry = await this.kv.get(credentialId);
      if (!entry || entry.operation !== 'PUT') break;
      await this.eraseRevisions(credentialId, () => true);
    }
    await this.kv.purge(credentialId);
  }

  /**
   * On nats-server 2.9, `kv.delete`, `kv.purge`, a filtered stream purge, and a revision dropped
   * by the history limit only leave the index: the bytes stay in the block file on disk, where the
   * master key would still open them. A secure erase overwrites them.
   */
  private async eraseRevisions(credentialId: string, which: (revision: number) => boolean): Promise<void> {
    const entries = await this.kv.history({ key: credentialId });
    const revisions: number[] = [];
    // An entry erased by a concurrent put or destroy while the history is read comes as undefined.
    for await (const entry of entries) if (entry?.operation === 'PUT' && which(entry.revision)) revisions.push(entry.revision);
    for (const revision of revisions) {
      try {
        await this.jsm.streams.deleteMessage(`KV_${this.bucket}`, revision, true);
      } catch (error) {
        // Already gone: erased by a concurrent put or destroy.
        if (!isNoMessageFound(error)) throw error;
      }
    }
  }

  /** What may be shown of a secret: its field names. */
  fieldNames(secret: Secret): string[] {
    return Object.keys(secret).sort();
  }

  toJSON(): { bucket: string } {
    return { bucket: this.bucket };
  }

  [inspect.custom](): string {
    return `CredentialVault { bucket: ${JSON.stringify(this.bucket)} }`;
  }
}
