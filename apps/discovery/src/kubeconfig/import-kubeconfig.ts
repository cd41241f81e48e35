import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  SUBJECTS,
  type Caller,
  type ConnectionView,
  type ImportedContext,
  type ImportKubeconfigReply,
  type ImportKubeconfigRequest,
  type Reply,
  type Status,
} from '@clp/contracts';
import { Requester, type RequestOptions } from '@clp/messaging';
import { requireRole } from '@clp/messaging';
import type { DiscoveryConfig } from '../config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from '../discovery-feature';
import { parseKubeconfig, type KubeconfigContext } from './parse-kubeconfig';

type Outcome = keyof ImportKubeconfigReply;

const R = SUBJECTS.registry;
const REQUEST_TIMEOUT_MS = 5000;

/**
 * The next transition a person's import requests on the way to `connected`; each runs the
 * registry's connectivity test. Maintenance and disconnected are left as they are: someone (or
 * the health monitor) put the connection there, and an upload is not a decision about that.
 */
const NEXT_TOWARDS_CONNECTED: Partial<Record<Status, Status>> = {
  discovered: 'registered',
  'not found': 'registered',
  registered: 'connected',
};
/** Two steps, and one more when the health monitor moved the connection in between. */
const MAX_STEPS = 3;

/**
 * Kubeconfig import: every context becomes a `kubernetes` connection (discovered through the
 * registry, its credentials stored by the registry only when the connection is new), which the
 * import then asks to connect on the uploader's behalf. Nothing is stored unless the whole
 * kubeconfig is valid.
 */
@Injectable()
export class KubeconfigImport {
  private readonly logger = new Logger('kubeconfig-import');
  private readonly registry: Requester;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
  ) {
    this.registry = new Requester(nc, { timeoutMs: REQUEST_TIMEOUT_MS });
  }

  async import(request: ImportKubeconfigRequest, correlation_id?: string): Promise<ImportKubeconfigReply> {
    requireRole(request.caller, 'operator');
    const contexts = parseKubeconfig(request.kubeconfig);
    // Contexts at once: the registry tests them in parallel, so the import takes about one context's time.
    const outcomes = await Promise.all(contexts.map((context) => this.importContext(request.caller, context, { correlation_id })));
    const reply: ImportKubeconfigReply = { registered: [], connected: [], ignored: [], errored: [] };
    for (const [outcome, entry] of outcomes) reply[outcome].push(entry);
    const counts = (Object.keys(reply) as Outcome[]).map((outcome) => `${reply[outcome].length} ${outcome}`).join(', ');
    this.logger.log(`kubeconfig of ${contexts.length} contexts imported for ${request.caller.organization_id} by ${request.caller.user_id}: ${counts}`);
    return reply;
  }

  private async importContext(caller: Caller, context: KubeconfigContext, trace: RequestOptions): Promise<[Outcome, ImportedContext]> {
    const base: ImportedContext = { context: context.context, cluster: context.cluster, user: context.user };
    if (context.unsupported) return ['errored', { ...base, reason: context.unsupported }];
    const discovered = await this.registry.request(
      R.discoverConnection,
      {
        caller,
        kind: 'kubernetes',
        name: context.context,
        metadata: context.metadata,
        ...(context.secret ? { credential_secret: context.secret } : {}),
        source: 'kubeconfig',
      },
      trace,
    );
    if ('error' in discovered) return ['errored', { ...base, reason: discovered.error.message }];
    const { created, connection } = discovered.result;
    let status: Status = connection.status;
    const entry = (reason?: string): ImportedContext => ({ ...base, id: connection.id, status, created, ...(reason ? { reason } : {}) });
    if (status === 'ignored') return ['ignored', entry()];
    for (let step = 0; step < MAX_STEPS && status !== 'connected'; step++) {
      const next: Status | undefined = NEXT_TOWARDS_CONNECTED[status];
      if (!next) break;
      const moved: Reply<ConnectionView> = await this.registry.request(
        R.transition,
        { caller, connection_id: connection.id, status: next, cause: 'user', reason: 'kubeconfig import' },
        { ...trace, timeoutMs: REQUEST_TIMEOUT_MS + this.config.connectivityTimeoutMs },
      );
      if ('error' in moved) {
        const from = moved.error.details?.from as Status | undefined;
        // The health monitor moved it meanwhile (e.g. discovered → registered): go on from there.
        if (moved.error.code === 'invalid_transition' && from && from !== status) {
          status = from;
          continue;
        }
        return ['registered', entry(moved.error.message)];
      }
      status = moved.result.status;
    }
    if (status === 'connected') return ['connected', entry()];
    if (status === 'ignored') return ['ignored', entry()];
    return ['registered', entry(`its status is ${status}, which an import leaves as it is`)];
  }
}
