import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type Caller } from '@clp/contracts';
import { RawJson } from '@clp/messaging';
import { EnvironmentConnectionsDto, EnvironmentListDto } from '../environments/environment.dto';
import { EnvironmentHandlers } from '../environments/environment-handlers';
import { EnvironmentReadModel, type ListQuery } from '../read-model/environment-read-model';
import { ListRequest, orderOf } from '../shell/command-context';
import { WorkspaceListDto } from '../workspaces/workspace.dto';
import { WorkspaceHandlers } from '../workspaces/workspace-handlers';

const E = SUBJECTS.environment;

const listOf = (request: ListRequest, scope: ListQuery['scope']): ListQuery => ({
  org: request.caller.organization_id,
  scope,
  order: orderOf(request.order),
  page: request.page ?? 0,
  pagesize: request.pagesize ?? 10,
  search: request.search,
});

/** A row of an environment's connections says whether it is in the environment. */
const marked = (assigned: boolean) => (doc: string) => `${doc.slice(0, -1)},"assigned":${assigned}}`;

/**
 * The list queries, answered from the read model as JSON text. Lists of one environment or
 * workspace check first that it is the caller's; one the read model does not hold yet is looked
 * up in its stream: it exists (the projection is a moment behind), the page is empty.
 */
@Controller()
export class QueriesController {
  constructor(
    private readonly readModel: EnvironmentReadModel,
    private readonly environments: EnvironmentHandlers,
    private readonly workspaces: WorkspaceHandlers,
  ) {}

  /** `filter.deleted_at` true: the deleted environments, until they are purged. */
  @MessagePattern(E.listEnvironments)
  async listEnvironments(@Payload() request: EnvironmentListDto) {
    return this.readModel.list('environments', { ...listOf(request, request.filter?.deleted_at ? 'denvs' : 'envs'), tags: request.tags });
  }

  @MessagePattern(E.listWorkspaces)
  async listWorkspaces(@Payload() request: ListRequest) {
    return this.readModel.list('workspaces', listOf(request, 'ws'));
  }

  /** `filter.assigned`: true (the default) lists its connections, false the organization's others. */
  @MessagePattern(E.environmentConnections)
  async environmentConnections(@Payload() request: EnvironmentConnectionsDto) {
    const { caller, environment_id } = request;
    const assigned = request.filter?.assigned ?? true;
    // No list shows a deleted connection (design.md §6.2): asking for them is an empty page.
    if (request.filter?.deleted_at) return this.empty('connections', request, () => this.environments.get(caller, environment_id));
    const members = `env:${environment_id}:conns`;
    const query: ListQuery = {
      ...listOf(request, 'conns'),
      owner: { key: `env:${environment_id}`, org: caller.organization_id },
      ...(assigned ? { sets: [members] } : { exclude: members }),
    };
    return (await this.readModel.list('connections', query, marked(assigned))) ?? this.empty('connections', request, () => this.environments.get(caller, environment_id));
  }

  @MessagePattern(E.workspaceEnvironments)
  async workspaceEnvironments(@Payload() request: WorkspaceListDto) {
    const query: ListQuery = { ...listOf(request, 'envs'), owner: this.workspace(request.caller, request.workspace_id), sets: [`ws:${request.workspace_id}:envs`] };
    return (await this.readModel.list('environments', query)) ?? this.empty('environments', request, () => this.workspaces.get(request.caller, request.workspace_id));
  }

  /** The union of its environments' connections, each once. */
  @MessagePattern(E.workspaceConnections)
  async workspaceConnections(@Payload() request: WorkspaceListDto) {
    const query: ListQuery = {
      ...listOf(request, 'conns'),
      owner: this.workspace(request.caller, request.workspace_id),
      sets: [],
      nested: { key: `ws:${request.workspace_id}:envs`, prefix: 'env:', suffix: ':conns' },
    };
    return (await this.readModel.list('connections', query)) ?? this.empty('connections', request, () => this.workspaces.get(request.caller, request.workspace_id));
  }

  private workspace(caller: Caller, workspaceId: string) {
    return { key: `ws:${workspaceId}`, org: caller.organization_id };
  }

  /** The owner is not in the read model: `not_found` unless its stream says it exists. */
  private async empty(key: string, request: ListRequest, visible: () => Promise<unknown>) {
    await visible();
    return new RawJson(`{"${key}":[],"page":${request.page ?? 0},"page_size":${request.pagesize ?? 10},"total_count":0}`);
  }
}
