import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { EnvironmentReadModel } from '../read-model/environment-read-model';
import { traceOf } from '../shell/command-context';
import { WorkspaceHandlers } from '../workspaces/workspace-handlers';
import { AssignmentDto, CreateEnvironmentDto, EnvironmentRefDto, UpdateEnvironmentDto } from './environment.dto';
import { EnvironmentHandlers } from './environment-handlers';

const E = SUBJECTS.environment;

@Controller()
export class EnvironmentsController {
  constructor(
    private readonly environments: EnvironmentHandlers,
    private readonly workspaces: WorkspaceHandlers,
    private readonly readModel: EnvironmentReadModel,
  ) {}

  @MessagePattern(E.createEnvironment)
  create(@Payload() request: CreateEnvironmentDto, @Ctx() context: NatsContext) {
    return this.environments.create(request, traceOf(context));
  }

  /** Name, description, tags and metadata; `status` archives (`archived`) or restores (`active`). */
  @MessagePattern(E.updateEnvironment)
  update(@Payload() request: UpdateEnvironmentDto, @Ctx() context: NatsContext) {
    return this.environments.update(request, traceOf(context));
  }


  /**
   * Removes its assignments and workspace links; deletes no connection and no credential. The
   * workspaces linking it are unlinked as the system; the read model drops the links on
   * EnvironmentDeleted in any case, so a workspace it misses lists the environment no more.
   */
  @MessagePattern(E.deleteEnvironment)
  async delete(@Payload() request: EnvironmentRefDto, @Ctx() context: NatsContext) {
    const trace = traceOf(context);
    const linked = await this.readModel.workspacesOf(request.environment_id);
    const deleted = await this.environments.delete(request, trace);
    await this.workspaces.unlinkDeleted(request.environment_id, linked, trace);
    return deleted;
  }

  /** A deleted environment back within its retention (`ENVIRONMENT_RETENTION_MS`). */
  @MessagePattern(E.recoverEnvironment)
  recover(@Payload() request: EnvironmentRefDto, @Ctx() context: NatsContext) {
    return this.environments.recover(request, traceOf(context));
  }

  @MessagePattern(E.assignConnection)
  assign(@Payload() request: AssignmentDto, @Ctx() context: NatsContext) {
    return this.environments.assign(request, traceOf(context));
  }

  @MessagePattern(E.unassignConnection)
  unassign(@Payload() request: AssignmentDto, @Ctx() context: NatsContext) {
    return this.environments.unassign(request, traceOf(context));
  }

  /** From the environment's stream, not the read model: an environment answers as soon as it is stored. */
  @MessagePattern(E.getEnvironment)
  get(@Payload() request: EnvironmentRefDto) {
    return this.environments.get(request.caller, request.environment_id);
  }
}
