import { Injectable } from '@nestjs/common';
import type { ConnectionView, DiscoverConnectionReply } from '@clp/contracts';
import { connectionFormErrors, credentialFormErrors, kindDefinition, resourceOf } from '@clp/connection-definitions';
import { requireRole, validationFailed } from '@clp/messaging';
import { commandMetadata } from '../command-context';
import { ConnectionCommands, viewOf, type TraceIds } from '../connection-commands';
import { Credentials } from '../../credentials/credentials';
import { ConnectionReadModel } from '../../read-model/connection-read-model';
import type { DiscoverConnectionDto } from './discover-connection.dto';

/**
 * Discovery on a person's behalf (a kubeconfig import): answers the resource's live connection
 * as it is, ignored ones included, or discovers a new one. Runs no connectivity test: the caller
 * requests the transitions it wants next, and those run it.
 */
@Injectable()
export class DiscoverConnectionHandler {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly credentials: Credentials,
    private readonly readModel: ConnectionReadModel,
  ) {}

  async handle(request: DiscoverConnectionDto, trace: TraceIds): Promise<DiscoverConnectionReply> {
    const { caller } = request;
    requireRole(caller, 'operator');
    const definition = kindDefinition(request.kind);
    const inline = request.credential_secret;
    const errors = [...connectionFormErrors(definition, request.metadata), ...(inline ? credentialFormErrors(definition, inline) : [])];
    if (errors.length) throw validationFailed(errors);
    const resource = resourceOf(definition, caller.organization_id, request.name, request.metadata);

    // Checked first so that importing the same resource again stores no second credential.
    const live = await this.connections.liveForFingerprint(resource.fingerprint);
    if (live) return { connection: viewOf(live, { environments: await this.readModel.environmentsOf(live.connection_id) }) as ConnectionView, created: false };

    const credential_id = inline
      ? (await this.credentials.create(caller, { name: `${request.name} credential`, kind: definition.kind, secret: inline }, trace)).id
      : null;
    let result;
    try {
      result = await this.connections.executeForFingerprint(
        resource.fingerprint,
        (connection_id) => ({
          type: 'DiscoverConnection',
          data: { connection_id, ...resource, credential_id, source: request.source },
          metadata: commandMetadata(caller),
        }),
        trace,
      );
    } catch (error) {
      if (credential_id) await this.credentials.delete(caller, credential_id, trace);
      throw error;
    }
    // Another request discovered it in the meantime: its connection stands, with its own credential.
    if (!result.changed && credential_id) await this.credentials.delete(caller, credential_id, trace);
    return { connection: viewOf(result) as ConnectionView, created: result.changed };
  }
}
