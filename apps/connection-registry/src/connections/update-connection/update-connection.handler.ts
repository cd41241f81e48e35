import { Injectable } from '@nestjs/common';
import { ReplyError, type ConnectionView } from '@clp/contracts';
import { connectionFormErrors, definitionOf } from '@clp/connection-definitions';
import type { Connection } from '@clp/connection-lifecycle';
import { requireRole, validationFailed } from '@clp/messaging';
import { commandMetadata, visibleTo } from '../command-context';
import { ConnectionCommands, viewOf, type TraceIds } from '../connection-commands';
import { Credentials } from '../../credentials/credentials';
import { ConnectionReadModel } from '../../read-model/connection-read-model';
import type { UpdateConnectionDto } from './update-connection.dto';

/** Merges name and metadata; the merged metadata must still fill the kind's form. */
@Injectable()
export class UpdateConnectionHandler {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly credentials: Credentials,
    private readonly readModel: ConnectionReadModel,
  ) {}

  async handle(request: UpdateConnectionDto, trace: TraceIds): Promise<ConnectionView> {
    const { caller } = request;
    requireRole(caller, 'operator');
    const loaded = visibleTo(caller, await this.connections.load(request.connection_id));
    const state = loaded.state as Connection;
    const definition = definitionOf(state.kind);
    if (definition && request.metadata) {
      const errors = connectionFormErrors(definition, { ...state.metadata, ...request.metadata });
      if (errors.length) throw validationFailed(errors);
    }
    if (request.credential_id) await this.credentials.usableFor(caller, request.credential_id, state.kind);
    const result = await this.connections.execute(
      request.connection_id,
      {
        type: 'UpdateConnection',
        data: { name: request.name, metadata: request.metadata, credential_id: request.credential_id, tags: request.tags },
        metadata: commandMetadata(caller),
      },
      trace,
      loaded,
    );
    const view = viewOf(result, { environments: await this.readModel.environmentsOf(request.connection_id) });
    if (!view) throw new ReplyError('not_found', 'connection not found');
    return view;
  }
}
