import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { traceOf } from '../shell/command-context';
import { CreateWorkspaceDto, LinkDto, UpdateWorkspaceDto, WorkspaceRefDto } from './workspace.dto';
import { WorkspaceHandlers } from './workspace-handlers';

const E = SUBJECTS.environment;

@Controller()
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspaceHandlers) {}

  @MessagePattern(E.createWorkspace)
  create(@Payload() request: CreateWorkspaceDto, @Ctx() context: NatsContext) {
    return this.workspaces.create(request, traceOf(context));
  }

  @MessagePattern(E.updateWorkspace)
  update(@Payload() request: UpdateWorkspaceDto, @Ctx() context: NatsContext) {
    return this.workspaces.update(request, traceOf(context));
  }

  /** Deletes the workspace only: its environments and their connections stay. */
  @MessagePattern(E.deleteWorkspace)
  delete(@Payload() request: WorkspaceRefDto, @Ctx() context: NatsContext) {
    return this.workspaces.delete(request, traceOf(context));
  }

  @MessagePattern(E.linkEnvironment)
  link(@Payload() request: LinkDto, @Ctx() context: NatsContext) {
    return this.workspaces.link(request, traceOf(context));
  }

  @MessagePattern(E.unlinkEnvironment)
  unlink(@Payload() request: LinkDto, @Ctx() context: NatsContext) {
    return this.workspaces.unlink(request, traceOf(context));
  }

  @MessagePattern(E.getWorkspace)
  get(@Payload() request: WorkspaceRefDto) {
    return this.workspaces.get(request.caller, request.workspace_id);
  }
}
