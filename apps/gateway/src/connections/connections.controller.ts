import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SUBJECTS, type ConnectionsStatusPage, type ConnectionView, type InitRegistrationReply } from '@clp/contracts';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { answerRaw } from '../raw-reply';
import { RegistryClient } from '../registry/registry-client';
import { IdParams } from '../validation/id-params';
import { RegisterConnectionDto, RegistrationStepDto, TestConnectionDto, UpdateConnectionDto } from './connection.dto';
import { ConnectionPageDoc, ConnectionsStatusDoc, ConnectionViewDoc, HistoryDoc, ProbeResultDoc, RegistrationStartedDoc } from './connection.views';
import { ListConnectionsQueryDto } from './list-connections.query';
import { RegisterConnection } from './register-connection';
import { UpdateConnection } from './update-connection';

const R = SUBJECTS.registry;

@ApiTags('connections')
@ApiBearerAuth()
@ApiErrors()
@Controller('api/integrations/connections')
export class ConnectionsController {
  constructor(
    private readonly registry: RegistryClient,
    private readonly registration: RegisterConnection,
    private readonly updates: UpdateConnection,
  ) {}

  @Get()
  @ApiOperation({ summary: "the organization's connections, filtered, sorted and paged" })
  @ApiOkResponse({ type: ConnectionPageDoc })
  async list(@Context() context: RequestContext, @Query() query: ListConnectionsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return answerRaw(reply, await this.registry.callRaw(R.listConnections, context, query));
  }

  @Post()
  @ApiOperation({ summary: 'register a connection by hand; a failed connectivity test registers it in not found' })
  @ApiCreatedResponse({ type: ConnectionViewDoc })
  register(@Context() context: RequestContext, @Body() body: RegisterConnectionDto): Promise<ConnectionView> {
    const { environment_ids, ...registration } = body;
    return this.registration.apply(context, environment_ids, () => this.registry.call(R.registerConnection, context, registration));
  }

  @Post('register')
  @ApiOperation({ summary: 'two-step registration: init returns a tracker id and the forms; register with it creates the connection' })
  @ApiExtraModels(RegistrationStartedDoc, ConnectionViewDoc)
  @ApiCreatedResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(RegistrationStartedDoc) }, { $ref: getSchemaPath(ConnectionViewDoc) }] },
  })
  registrationStep(@Context() context: RequestContext, @Body() body: RegistrationStepDto): Promise<InitRegistrationReply | ConnectionView> {
    const { status, id, name, environment_ids, ...form } = body;
    if (status === 'init') return this.registry.call(R.initRegistration, context, { kind: body.kind });
    return this.registration.apply(context, environment_ids, () =>
      this.registry.call(R.completeRegistration, context, { ...form, id: id as string, name: name as string }),
    );
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({ summary: 'test a connection form without storing anything' })
  @ApiOkResponse({ type: ProbeResultDoc })
  testForm(@Context() context: RequestContext, @Body() body: TestConnectionDto) {
    return this.registry.call(R.testConnection, context, body);
  }

  @Get('status')
  @ApiOperation({ summary: "the organization's connections per status (Meshery's connections status page)" })
  @ApiOkResponse({ type: ConnectionsStatusDoc })
  status(@Context() context: RequestContext): Promise<ConnectionsStatusPage> {
    return this.registry.call(R.connectionsStatus, context, {});
  }

  @Get(':id')
  @ApiOperation({ summary: 'one connection of the organization' })
  @ApiOkResponse({ type: ConnectionViewDoc })
  get(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.registry.call(R.getConnection, context, { connection_id: id });
  }

  @Put(':id')
  @ApiOperation({ summary: 'merge name, metadata and credential_id, then request status (as a person)' })
  @ApiOkResponse({ type: ConnectionViewDoc })
  update(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: UpdateConnectionDto) {
    return this.updates.apply(context, id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'delete (terminal; the history stays readable); answers the deleted connection' })
  @ApiOkResponse({ type: ConnectionViewDoc })
  delete(@Context() context: RequestContext, @Param() { id }: IdParams) {
    // The transition to deleted answers with the connection as it was left; the delete command only with its id.
    return this.registry.call(R.transition, context, { connection_id: id, status: 'deleted', cause: 'user', reason: 'deleted through the API' });
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: "test a stored connection with its credential; changes nothing" })
  @ApiOkResponse({ type: ProbeResultDoc })
  test(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.registry.call(R.testConnection, context, { connection_id: id });
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'the lifecycle events, oldest first; also after deletion' })
  @ApiOkResponse({ type: HistoryDoc })
  history(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.registry.call(R.connectionHistory, context, { connection_id: id });
  }
}
