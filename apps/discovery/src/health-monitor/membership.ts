import { StringCodec, type KV, type NatsConnection } from 'nats';
import type { MonitorLogger } from './ports';

const codec = StringCodec();

/**
 * The live replicas of the health monitor: each renews its own key in a JetStream key-value bucket
 * whose entries expire after the bucket's TTL, and lists the keys as often. A replica that stops
 * deletes its key (its share moves at once); one that dies drops out when its key expires.
 * The TTL is the bucket's, set by the first replica that creates it.
 */
export class Membership {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private beating?: Promise<void>;

  private constructor(
    private readonly kv: KV,
    readonly member: string,
    private readonly everyMs: number,
    private readonly onChange: (members: string[]) => void,
    private readonly logger: MonitorLogger,
  ) {}

  static async join(
    nc: NatsConnection,
    member: string,
    options: { ttlMs: number; bucket?: string },
    onChange: (members: string[]) => void,
    logger: MonitorLogger,
  ): Promise<Membership> {
    const kv = await nc.jetstream().views.kv(options.bucket ?? 'discovery-members', { ttl: options.ttlMs, history: 1 });
    // Three renewals per TTL: one lost renewal does not drop a live member.
    const membership = new Membership(kv, member, Math.max(100, Math.floor(options.ttlMs / 3)), onChange, logger);
    await membership.beat();
    return membership;
  }

  async leave(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
    await this.kv.delete(this.member).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    this.beating = (async () => {
      try {
        await this.kv.put(this.member, codec.encode(new Date().toISOString()));
        const members: string[] = [];
        for await (const key of await this.kv.keys()) members.push(key);
        if (!this.stopped) this.onChange(members);
      } catch (error) {
        // The last list stands until NATS answers again.
        this.logger.warn(`membership not renewed: ${(error as Error).message}`);
      }
    })();
    await this.beating;
    if (!this.stopped) this.timer = setTimeout(() => void this.beat(), this.everyMs);
  }
}

/** A member name that is a valid key: the replica's name and a random suffix (a restart is a new member). */
export const memberName = (instanceName: string, suffix: string): string => `${instanceName.replace(/[^-\w=]/g, '_')}-${suffix}`;
