import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionView } from '@clp/contracts';
import { definitionOf, learnedMetadata } from '@clp/connection-definitions';
import { needsConnectivityTest, type Connection } from '@clp/connection-lifecycle';
import { requireRole } from '@clp/messaging';
import { commandMetadata, visibleTo } from '../command-context';
import { ConnectionCommands, viewOf, type TraceIds } from '../connection-commands';
import { Credentials } from '../../credentials/credentials';
import { CONNECTIVITY, type ConnectivityTester } from '../connectivity';
import { ConnectionReadModel } from '../../read-model/connection-read-model';
import type { TransitionConnectionDto } from './transition-connection.dto';

@Injectable()
export class TransitionConnectionHandler {
  constructor(
    private readonly connections: ConnectionCommands,
    private readonly credentials: Credentials,
    @Inject(CONNECTIVITY) private readonly connectivity: ConnectivityTester,
    private readonly readModel: ConnectionReadModel,
  ) {}

  async handle(request: TransitionConnectionDto, trace: TraceIds): Promise<ConnectionView> {
    const { caller, status, cause } = request;
    requireRole(caller, status === 'deleted' ? 'admin' : 'operator');
    if (request.skip_connectivity_test) requireRole(caller, 'admin');
    const loaded = visibleTo(caller, await this.connections.load(request.connection_id));
    const state = loaded.state as Connection;
    const definition = definitionOf(state.kind);
    // Tested before deciding: the decider refuses the change when the test failed. A system
    // caller (the health monitor) sends the probe it measured; a person's claim of one is ignored.
    const probe =
      definition && needsConnectivityTest(status, cause) && !request.skip_connectivity_test
        ? await this.connectivity.test(definition, state.metadata, await this.credentials.secretOf(state.credential_id))
        : cause === 'system'
          ? request.probe
          : undefined;
    const result = await this.connections.execute(
      request.connection_id,
      {
        type: 'RequestTransition',
        data: {
          to: status,
          reason: request.reason ?? '',
          auto_connect: definition?.auto_connect ?? false,
          skip_connectivity_test: request.skip_connectivity_test,
          ...(probe ? { probe } : {}),
        },
        metadata: commandMetadata(caller, cause),
      },
      trace,
      loaded,
    );
    const learned = definition && result.changed ? learnedMetadata(definition, state.metadata, probe) : {};
    const final = Object.keys(learned).length
      ? await this.connections.execute(request.connection_id, { type: 'UpdateConnection', data: { metadata: learned }, metadata: commandMetadata(caller, cause) }, trace)
      : result;
    // A transition to deleted answers with the connection as it was left: deleted.
    return viewOf(final, { includeDeleted: true, environments: await this.readModel.environmentsOf(request.connection_id) }) as ConnectionView;
  }
}
