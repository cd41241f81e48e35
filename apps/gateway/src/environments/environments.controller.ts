import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SUBJECTS } from '@clp/contracts';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { answerRaw } from '../raw-reply';
import { IdParams } from '../validation/id-params';
import { EnvironmentClient } from './environment-client';
import { CreateEnvironmentDto, EnvironmentConnectionParams, EnvironmentConnectionsQueryDto, EnvironmentListQueryDto, UpdateEnvironmentDto } from './environment.dto';
import { EnvironmentConnectionPageDoc, EnvironmentDeletedDoc, EnvironmentPageDoc, EnvironmentViewDoc } from './environment.views';
import { inCallersOrganization } from './organization';

const E = SUBJECTS.environment;

/** Environments (design.md §7): groups of connections of one organization. */
@ApiTags('environments')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 409, 503)
@Controller('api/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentClient) {}

  @Get()
  @ApiOperation({ summary: 'the organization\'s environments, searched, sorted, paged, by tags; filter={"deleted_at":true}: the deleted ones' })
  @ApiOkResponse({ type: EnvironmentPageDoc })
  async list(@Context() context: RequestContext, @Query() query: EnvironmentListQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { filter, ...list } = inCallersOrganization(context, query);
    return answerRaw(reply, await this.environments.callRaw(E.listEnvironments, context, { ...list, ...(filter ? { filter: { ...filter } } : {}) }));
  }

  @Post()
  @ApiOperation({ summary: 'create an environment; a name the organization already uses (in any case) is a conflict' })
  @ApiCreatedResponse({ type: EnvironmentViewDoc })
  create(@Context() context: RequestContext, @Body() body: CreateEnvironmentDto) {
    return this.environments.call(E.createEnvironment, context, inCallersOrganization(context, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'one environment, with its status and connection count' })
  @ApiOkResponse({ type: EnvironmentViewDoc })
  get(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.environments.call(E.getEnvironment, context, { environment_id: id });
  }

  @Put(':id')
  @ApiOperation({ summary: 'change name, description, tags, metadata; status archived archives, active restores' })
  @ApiOkResponse({ type: EnvironmentViewDoc })
  update(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: UpdateEnvironmentDto) {
    return this.environments.call(E.updateEnvironment, context, { ...inCallersOrganization(context, body), environment_id: id });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'delete (admin), softly: its assignments and workspace links go, its connections stay; recoverable until purged' })
  @ApiOkResponse({ type: EnvironmentDeletedDoc })
  delete(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.environments.call(E.deleteEnvironment, context, { environment_id: id });
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: 'recover a deleted environment (admin) within the retention: active again, without connections or workspaces; its name taken meanwhile is a conflict' })
  @ApiOkResponse({ type: EnvironmentViewDoc })
  recover(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.environments.call(E.recoverEnvironment, context, { environment_id: id });
  }

  @Get(':id/connections')
  @ApiOperation({ summary: 'its connections with their current status; filter={"assigned":false}: the organization\'s others' })
  @ApiOkResponse({ type: EnvironmentConnectionPageDoc })
  async connections(@Context() context: RequestContext, @Param() { id }: IdParams, @Query() query: EnvironmentConnectionsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { filter, ...list } = inCallersOrganization(context, query);
    const page = await this.environments.callRaw(E.environmentConnections, context, { ...list, environment_id: id, ...(filter ? { filter: { ...filter } } : {}) });
    return answerRaw(reply, page);
  }

  @Post(':id/connections/:connectionId')
  @HttpCode(200)
  @ApiOperation({ summary: 'assign a connection of the organization (not deleted); idempotent: 200 either way' })
  @ApiOkResponse({ type: EnvironmentViewDoc })
  assign(@Context() context: RequestContext, @Param() { id, connectionId }: EnvironmentConnectionParams) {
    return this.environments.call(E.assignConnection, context, { environment_id: id, connection_id: connectionId });
  }

  @Delete(':id/connections/:connectionId')
  @ApiOperation({ summary: 'remove a connection from the environment (the connection stays); idempotent' })
  @ApiOkResponse({ type: EnvironmentViewDoc })
  unassign(@Context() context: RequestContext, @Param() { id, connectionId }: EnvironmentConnectionParams) {
    return this.environments.call(E.unassignConnection, context, { environment_id: id, connection_id: connectionId });
  }
}
