import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS, type CredentialView } from '@clp/contracts';
import { requireRole } from '@clp/messaging';
import { traceOf } from '../connections/command-context';
import { ConnectionReadModel } from '../read-model/connection-read-model';
import { CreateCredentialDto, CredentialRefDto, ListCredentialsDto, UpdateCredentialDto } from './credential.dto';
import { Credentials } from './credentials';

/** Credentials are managed by admins and never returned with their secret (DESIGN 8). */
@Controller()
export class CredentialsController {
  constructor(
    private readonly credentials: Credentials,
    private readonly readModel: ConnectionReadModel,
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

  @MessagePattern(SUBJECTS.registry.deleteCredential)
  async delete(@Payload() request: CredentialRefDto, @Ctx() context: NatsContext) {
    requireRole(request.caller, 'admin');
    await this.credentials.delete(request.caller, request.credential_id, traceOf(context));
    return { credential_id: request.credential_id };
  }

  @MessagePattern(SUBJECTS.registry.listCredentials)
  list(@Payload() request: ListCredentialsDto) {
    return this.readModel.credentials(request.caller.organization_id, request.page ?? 0, request.pagesize ?? 10);
  }

  @MessagePattern(SUBJECTS.registry.getCredential)
  async get(@Payload() request: CredentialRefDto): Promise<CredentialView> {
    return this.credentials.visible(request.caller, request.credential_id);
  }
}
