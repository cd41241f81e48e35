import { Injectable } from '@nestjs/common';
import { SUBJECTS, type ConnectionView } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import type { RequestContext } from '../auth/request-context';
import { RegistryClient } from '../registry/registry-client';
import type { UpdateConnectionDto } from './connection.dto';

const R = SUBJECTS.registry;

/**
 * PUT merges two registry commands: the changes (name, metadata, credential) first, then the
 * requested status as a person's transition. A refused transition leaves the changes applied.
 */
@Injectable()
export class UpdateConnection {
  constructor(private readonly registry: RegistryClient) {}

  async apply(context: RequestContext, connection_id: string, body: UpdateConnectionDto): Promise<ConnectionView> {
    const { name, metadata, credential_id, tags, status, reason, skip_connectivity_test } = body;
    const changes = name !== undefined || metadata !== undefined || credential_id !== undefined || tags !== undefined;
    if (status === undefined) {
      const orphans = (['reason', 'skip_connectivity_test'] as const).filter((field) => body[field] !== undefined);
      if (orphans.length) throw validationFailed(orphans.map((field) => ({ field, reasons: [`${field} goes with status`] })));
      if (!changes) throw validationFailed([{ field: 'body', reasons: ['give name, metadata, credential_id, tags or status'] }]);
    }
    let view: ConnectionView | undefined;
    if (changes) view = await this.registry.call(R.updateConnection, context, { connection_id, name, metadata, credential_id, tags });
    if (status !== undefined) {
      view = await this.registry.call(R.transition, context, { connection_id, status, cause: 'user', reason, skip_connectivity_test });
    }
    return view as ConnectionView;
  }
}
