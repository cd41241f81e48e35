import { randomUUID } from 'node:crypto';
import { StringCodec, type KV, type NatsConnection } from 'nats';

const codec = StringCodec();

/**
 * Who among the replicas does a singleton's work (the relay): a key in a JetStream key-value
 * bucket whose entries expire after `ttlMs` unless the holder renews them. It saves work, it is
 * not what keeps the work correct: two holders for a moment (a takeover) publish the same events,
 * which the stream drops by `Nats-Msg-Id`.
 */
export class Lease {
  private revision?: number;
  private renewing?: Promise<boolean>;
  private readonly holder = randomUUID();

  private constructor(
    private readonly kv: KV,
    readonly name: string,
  ) {}

  static async create(nc: NatsConnection, name: string, { ttlMs, bucket = 'leases' }: { ttlMs: number; bucket?: string }): Promise<Lease> {
    return new Lease(await nc.jetstream().views.kv(bucket, { ttl: ttlMs, history: 1 }), name);
  }

  /** Takes the lease if nobody holds it (or its holder stopped renewing); true when held. */
  async acquire(): Promise<boolean> {
    try {
      this.revision = await this.kv.create(this.name, codec.encode(this.holder));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Keeps it; false when it was lost (expired, and someone else took it). One renewal at a time:
   * a second one sent while the first is slow (a busy machine) would carry the same revision,
   * fail, and give up a lease that is held; it waits for the first's answer instead.
   */
  renew(): Promise<boolean> {
    this.renewing ??= this.update().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async update(): Promise<boolean> {
    if (this.revision === undefined) return false;
    try {
      this.revision = await this.kv.update(this.name, codec.encode(this.holder), this.revision);
      return true;
    } catch {
      this.revision = undefined;
      return false;
    }
  }

  /** Gives it up at once, so a standby takes over without waiting for the expiry. */
  async release(): Promise<void> {
    if (this.revision === undefined) return;
    const revision = this.revision;
    this.revision = undefined;
    await this.kv.delete(this.name, { previousSeq: revision }).catch(() => undefined);
  }
}
