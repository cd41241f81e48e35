import { Inject, Injectable } from '@nestjs/common';
import { ReplyError, type ConnectionView } from '@clp/contracts';
import { connectionFormErrors, fingerprintOf, identityOf, kindDefinition } from '@clp/connection-definitions';
import { validationFailed } from '@clp/messaging';
import { requireRole } from '../caller';
import { commandMetadata } from '../command-context';
import { ConnectionCommands, viewOf, type TraceIds } from '../connection-commands';
import { CONNECTIVITY, type ConnectivityTester } from '../connectivity';
import { FingerprintReservations } from '../fingerprint-reservations';
import type { RegisterConnectionDto } from './register-connection.dto';

/** Manual registration: a failed connectivity test creates the connection in `not found`. */
@Injectable()
export class RegisterConnectionHandler {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly reservations: FingerprintReservations,
    @Inject(CONNECTIVITY) private readonly connectivity: ConnectivityTester,
  ) {}

  async handle(request: RegisterConnectionDto, trace: TraceIds): Promise<ConnectionView> {
    const { caller } = request;
    requireRole(caller, 'operator');
    if (request.skip_connectivity_test) requireRole(caller, 'admin');
    const definition = kindDefinition(request.kind);
    const metadata = request.metadata ?? {};
    const errors = connectionFormErrors(definition, metadata);
    if (errors.length) throw validationFailed(errors);

    const probe = request.skip_connectivity_test ? undefined : await this.connectivity.test(definition, metadata);
    const identity = identityOf(definition, metadata);
    const fingerprint = fingerprintOf(caller.organization_id, definition.kind, identity);
    const meta = commandMetadata(caller);
    const { connection_id, reserved } = await this.reservations.reserve(fingerprint, { ...meta, ...trace });
    const result = await this.connections.execute(
      connection_id,
      {
        type: 'RegisterConnection',
        data: {
          connection_id,
          organization_id: caller.organization_id,
          kind: definition.kind,
          type: definition.type,
          sub_type: definition.sub_type,
          name: request.name,
          fingerprint,
          identity,
          metadata,
          credential_id: null,
          auto_connect: definition.auto_connect,
          ...(probe ? { probe } : {}),
        },
        metadata: meta,
      },
      trace,
      { isNew: reserved },
    );
    const view = viewOf(result);
    if (!view) throw new ReplyError('conflict', 'the connection could not be registered', { connection_id });
    return view;
  }
}
