import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { v5 as uuidv5 } from 'uuid';
import { INTEGRATION_STREAMS, ReplyError } from '@clp/contracts';
import { connectionFormErrors, kindDefinition, resourceOf } from '@clp/connection-definitions';
import { consumeDurable, ensureStream, jsonLimitErrors, validationFailed, type Delivery, type RunningConsumer } from '@clp/messaging';
import { ConnectionCommands } from '../connections/connection-commands';
import { NATS_CONNECTION } from '../registry-runtime';
import { resourceFoundErrors, type ResourceFoundReport } from './resource-found.schema';

export const INTAKE_CONCURRENCY = Symbol('INTAKE_CONCURRENCY');

const INTAKE_COMMAND_NAMESPACE = '0b7c52e4-6f0e-5a3d-9c41-8e2f1d7a6b35';

/**
 * The command id of one delivered report for one connection (generation) of the resource. A
 * redelivery has the same stream sequence, so it decides the same event ids; the same report
 * published again (scans repeat their report ids) has a new one, so its decision is not taken for
 * a retry of the first by the event store's duplicate window, e.g. after the connection was deleted.
 */
export const intakeCommandId = (reportId: string, sequence: number, connectionId: string): string =>
  uuidv5(`${reportId}/${sequence}/${connectionId}`, INTAKE_COMMAND_NAMESPACE);

/** Validates a report; a report that can never become a connection is refused, not retried. */
export const decodeResourceFound = (data: Uint8Array): ResourceFoundReport => {
  let report: ResourceFoundReport;
  try {
    report = JSON.parse(new TextDecoder().decode(data)) as ResourceFoundReport;
  } catch {
    throw new ReplyError('validation_failed', 'the discovery report is not JSON');
  }
  // What no store keeps (too deep, a lone surrogate) is refused as the HTTP edge refuses it.
  const limits = jsonLimitErrors(report);
  if (limits.length) throw validationFailed(limits);
  const errors = resourceFoundErrors(report);
  if (errors.length) throw validationFailed(errors);
  const formErrors = connectionFormErrors(kindDefinition(report.data.kind), report.data.metadata);
  if (formErrors.length) throw validationFailed(formErrors);
  return report;
};

/**
 * Turns discovery reports into connections, one per fingerprint, whatever the number of replicas
 * and of reports. The consumer acks a report only after its connection is stored, so a registry
 * that dies mid-intake gets the report again; connection ids derived from the fingerprint and
 * event ids derived from the report make that harmless.
 */
@Injectable()
export class DiscoveryIntake implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DiscoveryIntake.name);
  private consumer?: RunningConsumer;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(INTAKE_CONCURRENCY) private readonly concurrency: number,
    private readonly connections: ConnectionCommands,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureStream(await this.nc.jetstreamManager(), INTEGRATION_STREAMS.discovery);
    this.consumer = await consumeDurable(this.nc, {
      stream: INTEGRATION_STREAMS.discovery.name,
      durable: 'connection-registry-intake',
      concurrency: this.concurrency,
      // A report takes milliseconds; after a crash, its unacked reports come back this much later.
      ackWaitMs: 10_000,
      decode: decodeResourceFound,
      handle: (report, delivery) => this.intake(report, delivery),
      logger: this.logger,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  async intake(report: ResourceFoundReport, delivery: Pick<Delivery, 'correlation_id' | 'traceparent' | 'seq'>): Promise<void> {
    const { data } = report;
    const definition = kindDefinition(data.kind);
    const resource = resourceOf(definition, data.organization_id, data.name, data.metadata);
    const metadata = { now: new Date().toISOString(), actor: { type: 'system' as const, id: `discovery:${data.source}` } };
    const trace = { correlation_id: delivery.correlation_id, causation_id: report.metadata.event_id, traceparent: delivery.traceparent };
    await this.connections.executeForFingerprint(
      resource.fingerprint,
      (connection_id) => ({
        type: 'DiscoverConnection',
        data: { connection_id, ...resource, credential_id: data.credential_id ?? null, source: data.source },
        metadata: { ...metadata, command_id: intakeCommandId(report.metadata.event_id, delivery.seq, connection_id) },
      }),
      trace,
    );
  }
}
