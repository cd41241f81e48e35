import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JSONCodec, type NatsConnection } from 'nats';
import { discoveryEventSubject, INTEGRATION_STREAMS } from '@clp/contracts';
import { ensureStream, outgoingHeaders } from '@clp/messaging';
import type { DiscoveryConfig } from '../config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from '../discovery-feature';
import { targetReports } from './configured-targets';

const codec = JSONCodec();
const ATTEMPTS = 5;

/** Publishes the configured targets once, at start, to `DISCOVERY_EVENTS` (durable: a registry that is down loses nothing). */
@Injectable()
export class TargetsPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('targets');

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const reports = targetReports(this.config.targets, this.config.organization, new Date());
    if (reports.length === 0) return;
    await ensureStream(await this.nc.jetstreamManager(), INTEGRATION_STREAMS.discovery);
    const js = this.nc.jetstream();
    for (const report of reports) {
      for (let attempt = 1; ; attempt++) {
        try {
          const ack = await js.publish(discoveryEventSubject(report.data.kind), codec.encode(report), {
            msgID: report.metadata.event_id,
            headers: outgoingHeaders({ causation_id: report.metadata.event_id }),
          });
          this.logger.log(`${report.data.kind} ${report.data.metadata.url ?? report.data.metadata.server}: reported${ack.duplicate ? ' (already)' : ''} to ${this.config.organization}`);
          break;
        } catch (error) {
          // JetStream can lag NATS by a moment at start; past a few tries, starting without it would hide the problem.
          if (attempt >= ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    }
  }
}
