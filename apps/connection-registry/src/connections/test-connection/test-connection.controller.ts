import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type ProbeResult } from '@clp/contracts';
import { connectionFormErrors, kindDefinition } from '@clp/connection-definitions';
import type { Connection } from '@clp/connection-lifecycle';
import { requireRole, validationFailed } from '@clp/messaging';
import { Credentials } from '../../credentials/credentials';
import { visibleTo } from '../command-context';
import { ConnectionCommands } from '../connection-commands';
import { CONNECTIVITY, type ConnectivityTester } from '../connectivity';
import { TestConnectionDto } from './test-connection.dto';

/** An ad hoc connectivity test: it changes nothing, and its result never holds a secret. */
@Controller()
export class TestConnectionController {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly credentials: Credentials,
    @Inject(CONNECTIVITY) private readonly connectivity: ConnectivityTester,
  ) {}

  @MessagePattern(SUBJECTS.registry.testConnection)
  async test(@Payload() request: TestConnectionDto): Promise<ProbeResult> {
    const { caller } = request;
    requireRole(caller, 'operator');
    if (request.connection_id) {
      const state = visibleTo(caller, await this.connections.load(request.connection_id)).state as Connection;
      return this.connectivity.test(kindDefinition(state.kind), state.metadata, await this.credentials.secretOf(state.credential_id));
    }
    if (!request.kind) throw validationFailed([{ field: 'kind', reasons: ['give connection_id, or kind and metadata'] }]);
    const definition = kindDefinition(request.kind);
    const metadata = request.metadata ?? {};
    const errors = connectionFormErrors(definition, metadata);
    if (errors.length) throw validationFailed(errors);
    if (request.credential_id) await this.credentials.usableFor(caller, request.credential_id, definition.kind);
    const secret = request.credential_secret ?? (await this.credentials.secretOf(request.credential_id));
    return this.connectivity.test(definition, metadata, secret);
  }
}
