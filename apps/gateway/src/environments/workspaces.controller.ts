import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SUBJECTS } from '@clp/contracts';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { IdParams } from '../validation/id-params';
import { EnvironmentClient } from './environment-client';
import { answerRaw } from '../raw-reply';
import { CreateWorkspaceDto, ListQueryDto, UpdateWorkspaceDto, WorkspaceEnvironmentParams } from './environment.dto';
import { ConnectionListDoc, EnvironmentPageDoc, WorkspaceDeletedDoc, WorkspacePageDoc, WorkspaceViewDoc } from './environment.views';
import { inCallersOrganization } from './organization';

const E = SUBJECTS.environment;

/** Workspaces (design.md §7): environments shared with people; their connections are those of their environments. */
@ApiTags('workspaces')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 503)
@Controller('api/workspaces')
export class WorkspacesController {
  constructor(private readonly environments: EnvironmentClient) {}

  @Get()
  @ApiOperation({ summary: "the organization's workspaces, searched, sorted and paged" })
  @ApiOkResponse({ type: WorkspacePageDoc })
  async list(@Context() context: RequestContext, @Query() query: ListQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return answerRaw(reply, await this.environments.callRaw(E.listWorkspaces, context, inCallersOrganization(context, query)));
  }

  @Post()
  @ApiOperation({ summary: 'create a workspace' })
  @ApiCreatedResponse({ type: WorkspaceViewDoc })
  create(@Context() context: RequestContext, @Body() body: CreateWorkspaceDto) {
    return this.environments.call(E.createWorkspace, context, inCallersOrganization(context, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'one workspace, with its environment count' })
  @ApiOkResponse({ type: WorkspaceViewDoc })
  get(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.environments.call(E.getWorkspace, context, { workspace_id: id });
  }

  @Put(':id')
  @ApiOperation({ summary: 'change name, description or metadata' })
  @ApiOkResponse({ type: WorkspaceViewDoc })
  update(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: UpdateWorkspaceDto) {
    return this.environments.call(E.updateWorkspace, context, { ...inCallersOrganization(context, body), workspace_id: id });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'delete (admin); its environments stay' })
  @ApiOkResponse({ type: WorkspaceDeletedDoc })
  delete(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.environments.call(E.deleteWorkspace, context, { workspace_id: id });
  }

  @Get(':id/environments')
  @ApiOperation({ summary: 'the environments assigned to the workspace' })
  @ApiOkResponse({ type: EnvironmentPageDoc })
  async environmentsOf(@Context() context: RequestContext, @Param() { id }: IdParams, @Query() query: ListQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return answerRaw(reply, await this.environments.callRaw(E.workspaceEnvironments, context, { ...inCallersOrganization(context, query), workspace_id: id }));
  }

  @Post(':id/environments/:environmentId')
  @HttpCode(200)
  @ApiOperation({ summary: 'assign an environment of the organization; idempotent: 200 either way' })
  @ApiOkResponse({ type: WorkspaceViewDoc })
  link(@Context() context: RequestContext, @Param() { id, environmentId }: WorkspaceEnvironmentParams) {
    return this.environments.call(E.linkEnvironment, context, { workspace_id: id, environment_id: environmentId });
  }

  @Delete(':id/environments/:environmentId')
  @ApiOperation({ summary: 'remove an environment from the workspace (the environment stays); idempotent' })
  @ApiOkResponse({ type: WorkspaceViewDoc })
  unlink(@Context() context: RequestContext, @Param() { id, environmentId }: WorkspaceEnvironmentParams) {
    return this.environments.call(E.unlinkEnvironment, context, { workspace_id: id, environment_id: environmentId });
  }

  @Get(':id/connections')
  @ApiOperation({ summary: "the connections of its environments, each once, with their current status" })
  @ApiOkResponse({ type: ConnectionListDoc })
  async connections(@Context() context: RequestContext, @Param() { id }: IdParams, @Query() query: ListQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return answerRaw(reply, await this.environments.callRaw(E.workspaceConnections, context, { ...inCallersOrganization(context, query), workspace_id: id }));
  }
}
