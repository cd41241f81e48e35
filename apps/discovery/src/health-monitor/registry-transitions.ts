import { isErrorReply, SUBJECTS, type ProbeResult, type Status } from '@clp/contracts';
import type { Requester } from '@clp/messaging';
import type { MonitorLogger, TransitionOutcome, TransitionRequester } from './ports';
import type { WatchedConnection } from './watched-connection';

/** The actor of the monitor's transitions, as it appears on their `StatusChanged`. */
export const HEALTH_MONITOR_ACTOR = 'health-monitor';

/** `registry.sys.transition` (the system's subject), in the connection's own organization. */
export class RegistryTransitions implements TransitionRequester {
  constructor(
    private readonly requester: Requester,
    private readonly logger: MonitorLogger,
  ) {}

  async request(connection: WatchedConnection, to: Status, reason: string, probe: ProbeResult): Promise<TransitionOutcome> {
    const { connection_id, organization_id } = connection;
    const reply = await this.requester.request(SUBJECTS.registry.systemTransition, {
      caller: { organization_id, user_id: HEALTH_MONITOR_ACTOR, role: 'operator' },
      connection_id,
      status: to,
      cause: 'system',
      reason,
      probe,
    });
    if (!isErrorReply(reply)) {
      this.logger.log(`${connection_id} (${connection.kind}): ${connection.status} → ${to}: ${reason}`);
      return 'changed';
    }
    const { code, message } = reply.error;
    // The state moved on (a person's request, another replica): the stream will say where to.
    if (code === 'invalid_transition' || code === 'not_found') {
      this.logger.debug(`${connection_id}: ${to} refused: ${message}`);
      return 'refused';
    }
    this.logger.warn(`${connection_id}: requesting ${to} failed (${code}): ${message}`);
    return 'failed';
  }
}
