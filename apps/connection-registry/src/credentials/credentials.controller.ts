import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { ReplyError, SUBJECTS, type Caller, type CredentialAssignment, type CredentialView, type ProbeResult } from '@clp/contracts';
import { connectionFormErrors, kindDefinition } from '@clp/connection-definitions';
import type { Connection } from '@clp/connection-lifecycle';
import { requireRole, validationFailed } from '@clp/messaging';
import { traceOf, visibleTo } from '../connections/command-context';
import { ConnectionCommands, type TraceIds } from '../connections/connection-commands';
import { CONNECTIVITY, type ConnectivityTester } from '../connections/connectivity';
import { UpdateConnectionHandler } from '../connections/update-connection/update-connection.handler';
import { ConnectionReadModel } from '../read-model/connection-read-model';
import {
  AssignCredentialDto,
  CreateCredentialDto,
  CredentialRefDto,
  DeleteCredentialDto,
  ListCredentialsDto,
  TestCredentialDto,
  UpdateCredentialDto,
} from './credential.dto';
import { Credentials, kindMismatch } from './credentials';

/** Credentials are managed by admins and never returned with their secret (design.md §8). */
@Controller()
export class CredentialsController {
  constructor(
    private readonly credentials: Credentials,
    private readonly readModel: ConnectionReadModel,
    private readonly connections: ConnectionCommands,
    private readonly updates: UpdateConnectionHandler,
    @Inject(CONNECTIVITY) private readonly connectivity: ConnectivityTester,
  ) {}

  @MessagePattern(SUBJECTS.registry.createCredential)
  create(@Payload() request: CreateCredentialDto, @Ctx() context: NatsContext): Promise<CredentialView> {
    requireRole(request.caller, 'admin');
    return this.credentials.create(request.caller, request, traceOf(context));
  }

  @MessagePattern(SUBJECTS.registry.updateCredential)
  update(@Payload() request: UpdateCredentialDto, @Ctx() context: NatsContext): Promise<CredentialView> {
    requireRole(request.caller, 'admin');
    return this.credentials.update(request.caller, request.credential_id, request, traceOf(context));
  }

  /**
   * A credential still used by connections is a conflict listing them, unless `force`: each is
   * then detached through the connection update command (its history records it), and deleted.
   */
  @MessagePattern(SUBJECTS.registry.deleteCredential)
  async delete(@Payload() request: DeleteCredentialDto, @Ctx() context: NatsContext) {
    const { caller, credential_id } = request;
    requireRole(caller, 'admin');
    await this.credentials.visible(caller, credential_id);
    const users = await this.usersOf(caller, credential_id);
    if (users.length && !request.force) {
      throw new ReplyError('conflict', `the credential is used by ${users.length} connection(s): detach them first, or delete with force=true`, {
        connection_ids: users,
      });
    }
    for (const connection_id of users) await this.updates.handle({ caller, connection_id, credential_id: null }, traceOf(context));
    await this.credentials.delete(caller, credential_id, traceOf(context));
    return { id: credential_id };
  }

  @MessagePattern(SUBJECTS.registry.listCredentials)
  list(@Payload() request: ListCredentialsDto) {
    return this.readModel.credentials(request.caller.organization_id, request.page ?? 0, request.pagesize ?? 10);
  }

  @MessagePattern(SUBJECTS.registry.getCredential)
  async get(@Payload() request: CredentialRefDto): Promise<CredentialView> {
    return this.credentials.visible(request.caller, request.credential_id);
  }

  /**
   * An ad hoc test of a stored credential (design.md §8, `002_…` "Credential registration"),
   * against a stored connection's address or a target's; changes nothing, never shows the secret.
   */
  @MessagePattern(SUBJECTS.registry.testCredential)
  async test(@Payload() request: TestCredentialDto): Promise<ProbeResult> {
    const { caller } = request;
    requireRole(caller, 'operator');
    if (request.connection_id && request.kind) throw validationFailed([{ field: 'kind', reasons: ['give connection_id, or kind and metadata, not both'] }]);
    const credential = await this.credentials.visible(caller, request.credential_id);
    const secret = await this.credentials.secretOf(credential.id);
    if (request.connection_id) {
      const state = visibleTo(caller, await this.connections.load(request.connection_id)).state as Connection;
      if (state.kind !== credential.kind) throw kindMismatch('connection_id', credential, state.kind);
      return this.connectivity.test(kindDefinition(state.kind), state.metadata, secret);
    }
    if (!request.kind) throw validationFailed([{ field: 'connection_id', reasons: ['give connection_id, or kind and metadata'] }]);
    if (request.kind !== credential.kind) throw kindMismatch('kind', credential, request.kind);
    const definition = kindDefinition(request.kind);
    const metadata = request.metadata ?? {};
    const errors = connectionFormErrors(definition, metadata);
    if (errors.length) throw validationFailed(errors);
    return this.connectivity.test(definition, metadata, secret);
  }

  /**
   * One credential for several connections, each through the connection update command (the one
   * `PUT …/connections/{id}` with `credential_id` sends), so its events and read models are the
   * same; a connection that cannot take it is reported and the others still are assigned.
   */
  @MessagePattern(SUBJECTS.registry.assignCredential)
  async assign(@Payload() request: AssignCredentialDto, @Ctx() context: NatsContext): Promise<{ id: string; assignments: CredentialAssignment[] }> {
    const { caller } = request;
    requireRole(caller, 'operator');
    const credential = await this.credentials.visible(caller, request.credential_id);
    const assignments: CredentialAssignment[] = [];
    for (const connectionId of request.connection_ids) assignments.push(await this.assignOne(caller, credential, connectionId, traceOf(context)));
    return { id: credential.id, assignments };
  }

  /** The connections using the credential: the read model's index, each confirmed by its stream (the index may lag). */
  private async usersOf(caller: Caller, credentialId: string): Promise<string[]> {
    const users: string[] = [];
    for (const connectionId of (await this.readModel.credentialUsers(caller.organization_id, credentialId)).sort()) {
      const { state } = await this.connections.load(connectionId);
      if (state.status !== 'none' && state.status !== 'deleted' && state.credential_id === credentialId) users.push(connectionId);
    }
    return users;
  }

  private async assignOne(caller: Caller, credential: CredentialView, connectionId: string, trace: TraceIds): Promise<CredentialAssignment> {
    try {
      const state = visibleTo(caller, await this.connections.load(connectionId)).state as Connection;
      if (state.kind !== credential.kind) throw kindMismatch('credential_id', credential, state.kind);
      const connection = await this.updates.handle({ caller, connection_id: connectionId, credential_id: credential.id }, trace);
      return { connection_id: connectionId, ok: true, connection };
    } catch (error) {
      if (error instanceof ReplyError) return { connection_id: connectionId, ok: false, error: error.toReply().error };
      throw error;
    }
  }
}
