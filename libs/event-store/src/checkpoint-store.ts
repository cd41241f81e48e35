import { StringCodec, type KV, type NatsConnection } from 'nats';
import type { Checkpoint } from './port';

/** Where a subscriber keeps how far it got. Projections keep theirs beside their data instead. */
export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | undefined>;
  save(name: string, checkpoint: Checkpoint): Promise<void>;
}

const codec = StringCodec();

/** Checkpoints in a JetStream key-value bucket: durable where Redis may not be (design.md §5). */
export class NatsKvCheckpointStore implements CheckpointStore {
  private constructor(private readonly kv: KV) {}

  static async create(nc: NatsConnection, bucket = 'checkpoints'): Promise<NatsKvCheckpointStore> {
    return new NatsKvCheckpointStore(await nc.jetstream().views.kv(bucket, { history: 1 }));
  }

  async load(name: string): Promise<Checkpoint | undefined> {
    const entry = await this.kv.get(name);
    return entry && entry.operation === 'PUT' ? codec.decode(entry.value) : undefined;
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    await this.kv.put(name, codec.encode(checkpoint));
  }
}
