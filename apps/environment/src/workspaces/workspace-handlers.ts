import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ReplyError, type Caller, type WorkspaceView } from '@clp/contracts';
import { isLiveEnvironment, workspaceDecider, type WorkspaceCommand } from '@clp/environments';
import { requireRole } from '@clp/messaging';
import { EnvironmentHandlers } from '../environments/environment-handlers';
import { visibleWorkspace, workspaceView } from '../environments/views';
import { commandMetadata, systemMetadata, type TraceIds } from '../shell/command-context';
import { StreamCommands, workspaceStream } from '../shell/stream-commands';
import type { CreateWorkspaceDto, LinkDto, UpdateWorkspaceDto, WorkspaceRefDto } from './workspace.dto';

@Injectable()
export class WorkspaceHandlers {
  private readonly logger = new Logger(WorkspaceHandlers.name);

  constructor(
    private readonly streams: StreamCommands,
    private readonly environments: EnvironmentHandlers,
  ) {}

  private load(workspaceId: string) {
    return this.streams.load(workspaceDecider, workspaceStream(workspaceId));
  }

  async get(caller: Caller, workspaceId: string): Promise<WorkspaceView> {
    return workspaceView(visibleWorkspace(caller, await this.load(workspaceId)));
  }

  async create(request: CreateWorkspaceDto, trace: TraceIds): Promise<WorkspaceView> {
    const { caller } = request;
    requireRole(caller, 'operator');
    const workspace_id = randomUUID();
    const data = {
      workspace_id,
      organization_id: caller.organization_id,
      name: request.name,
      description: request.description ?? '',
      owner: caller.user_id,
      metadata: request.metadata ?? {},
    };
    return workspaceView(await this.streams.execute(workspaceDecider, workspaceStream(workspace_id), { type: 'CreateWorkspace', data, metadata: commandMetadata(caller) }, trace));
  }

  async update(request: UpdateWorkspaceDto, trace: TraceIds): Promise<WorkspaceView> {
    const { caller, workspace_id, name, description, metadata } = request;
    requireRole(caller, 'operator');
    return this.execute(caller, workspace_id, { type: 'UpdateWorkspace', data: { name, description, metadata }, metadata: commandMetadata(caller) }, trace);
  }

  async delete(request: WorkspaceRefDto, trace: TraceIds): Promise<{ id: string }> {
    const { caller, workspace_id } = request;
    requireRole(caller, 'admin');
    const loaded = visibleWorkspace(caller, await this.load(workspace_id));
    await this.streams.execute(workspaceDecider, workspaceStream(workspace_id), { type: 'DeleteWorkspace', data: {}, metadata: commandMetadata(caller) }, trace, loaded);
    return { id: workspace_id };
  }

  /** The environment must exist, not be deleted and be in the caller's organization (archived ones may be linked). */
  async link(request: LinkDto, trace: TraceIds): Promise<WorkspaceView> {
    const { caller, workspace_id, environment_id } = request;
    requireRole(caller, 'operator');
    const environment = (await this.environments.load(environment_id)).state;
    if (!isLiveEnvironment(environment) || environment.organization_id !== caller.organization_id) {
      throw new ReplyError('not_found', 'environment not found', { environment_id });
    }
    return this.execute(caller, workspace_id, { type: 'LinkEnvironment', data: { environment_id }, metadata: commandMetadata(caller) }, trace);
  }

  async unlink(request: LinkDto, trace: TraceIds): Promise<WorkspaceView> {
    const { caller, workspace_id, environment_id } = request;
    requireRole(caller, 'operator');
    return this.execute(caller, workspace_id, { type: 'UnlinkEnvironment', data: { environment_id }, metadata: commandMetadata(caller) }, trace);
  }

  /** A deleted environment leaves the workspaces that linked it (as the system, in the deleting request's trace). */
  async unlinkDeleted(environmentId: string, workspaceIds: string[], trace: TraceIds): Promise<void> {
    for (const workspaceId of workspaceIds) {
      const metadata = systemMetadata(randomUUID(), 'environment-deleted');
      try {
        await this.streams.execute(workspaceDecider, workspaceStream(workspaceId), { type: 'UnlinkEnvironment', data: { environment_id: environmentId }, metadata }, trace);
      } catch (error) {
        // The read model drops the link on EnvironmentDeleted anyway; the stream keeps a stale one.
        this.logger.warn(`workspace ${workspaceId} still links deleted environment ${environmentId}: ${(error as Error).message}`);
      }
    }
  }

  private async execute(caller: Caller, workspaceId: string, command: WorkspaceCommand, trace: TraceIds): Promise<WorkspaceView> {
    const loaded = visibleWorkspace(caller, await this.load(workspaceId));
    return workspaceView(await this.streams.execute(workspaceDecider, workspaceStream(workspaceId), command, trace, loaded));
  }
}
