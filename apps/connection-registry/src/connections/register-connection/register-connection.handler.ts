import { Inject, Injectable } from '@nestjs/common';
import { ReplyError, type ConnectionView } from '@clp/contracts';
import { classificationErrors, connectionFormErrors, credentialFormErrors, kindDefinition, learnedMetadata, resourceOf } from '@clp/connection-definitions';
import { requireRole, validationFailed } from '@clp/messaging';
import { commandMetadata } from '../command-context';
import { ConnectionCommands, viewOf, type TraceIds } from '../connection-commands';
import { CONNECTIVITY, type ConnectivityTester } from '../connectivity';
import { Credentials } from '../../credentials/credentials';
import type { RegisterConnectionDto } from './register-connection.dto';

/** Manual registration: a failed connectivity test creates the connection in `not found`. */
@Injectable()
export class RegisterConnectionHandler {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly credentials: Credentials,
    @Inject(CONNECTIVITY) private readonly connectivity: ConnectivityTester,
  ) {}

  async handle(request: RegisterConnectionDto, trace: TraceIds): Promise<ConnectionView> {
    const { caller } = request;
    requireRole(caller, 'operator');
    if (request.skip_connectivity_test) requireRole(caller, 'admin');
    const definition = kindDefinition(request.kind);
    const metadata = request.metadata ?? {};
    const inline = request.credential_secret;
    if (inline && request.credential_id) {
      throw validationFailed([{ field: 'credential_id', reasons: ['give credential_id or credential_secret, not both'] }]);
    }
    const errors = [
      ...classificationErrors(definition, request),
      ...connectionFormErrors(definition, metadata),
      ...(inline ? credentialFormErrors(definition, inline) : []),
    ];
    if (errors.length) throw validationFailed(errors);
    if (request.credential_id) await this.credentials.usableFor(caller, request.credential_id, definition.kind);
    const secret = inline ?? (await this.credentials.secretOf(request.credential_id));

    const probe = request.skip_connectivity_test ? undefined : await this.connectivity.test(definition, metadata, secret);
    const resource = resourceOf(definition, caller.organization_id, request.name, { ...metadata, ...learnedMetadata(definition, metadata, probe) });
    const meta = commandMetadata(caller);
    // An inline secret becomes a credential; if the registration is refused, it goes again.
    const credential_id = inline
      ? (await this.credentials.create(caller, { name: `${request.name} credential`, kind: definition.kind, secret: inline }, trace)).id
      : (request.credential_id ?? null);
    let result;
    try {
      result = await this.connections.executeForFingerprint(
        resource.fingerprint,
        (connection_id) => ({
          type: 'RegisterConnection',
          data: {
            connection_id,
            ...resource,
            ...(request.tags?.length ? { tags: request.tags } : {}),
            credential_id,
            auto_connect: definition.auto_connect,
            ...(probe ? { probe } : {}),
          },
          metadata: meta,
        }),
        trace,
      );
    } catch (error) {
      if (inline && credential_id) await this.credentials.delete(caller, credential_id, trace);
      throw error;
    }
    const view = viewOf(result);
    if (!view) throw new ReplyError('conflict', 'the connection could not be registered', { connection_id: result.connection_id });
    return view;
  }
}
