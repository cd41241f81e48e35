import { Inject, Injectable } from '@nestjs/common';
import { ReplyError, SUBJECTS, type Caller } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { EnvironmentReadModel } from '../read-model/environment-read-model';

export const REGISTRY_REQUESTER = Symbol('REGISTRY_REQUESTER');

/**
 * Before a connection is assigned: it exists, is not deleted and is in the caller's organization.
 * The registry answers that (`get-connection` with the caller: another organization's connection,
 * a deleted or an unknown one are all `not_found` there). A connection this service already saw
 * deleted on CONNECTION_EVENTS is refused too, in case the registry's read model is behind.
 */
@Injectable()
export class ConnectionCheck {
  constructor(
    @Inject(REGISTRY_REQUESTER) private readonly registry: Requester,
    private readonly readModel: EnvironmentReadModel,
  ) {}

  async assignable(caller: Caller, connectionId: string): Promise<void> {
    const [reply, deleted] = await Promise.all([
      this.registry.request(SUBJECTS.registry.getConnection, { caller: { ...caller, role: 'viewer' }, connection_id: connectionId }),
      this.readModel.isDeletedConnection(connectionId),
    ]);
    if ('error' in reply) {
      if (reply.error.code === 'not_found') throw new ReplyError('not_found', 'connection not found', { connection_id: connectionId });
      throw new ReplyError(reply.error.code, `the registry could not check the connection: ${reply.error.message}`, reply.error.details);
    }
    if (deleted || reply.result.status === 'deleted') throw new ReplyError('not_found', 'connection not found', { connection_id: connectionId });
  }
}
