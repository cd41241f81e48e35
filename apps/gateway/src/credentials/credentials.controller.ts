import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SUBJECTS } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RegistryClient } from '../registry/registry-client';
import { IdParams } from '../validation/id-params';
import { PageQueryDto } from '../validation/page.query';
import { ProbeResultDoc } from '../connections/connection.views';
import { AssignCredentialDto, CreateCredentialDto, DeleteCredentialQueryDto, TestCredentialDto, UpdateCredentialDto } from './credential.dto';
import { CredentialAssignmentsDoc, CredentialDeletedDoc, CredentialPageDoc, CredentialViewDoc } from './credential.views';

const R = SUBJECTS.registry;

/** Meshery names a credential's kind `type`: either spelling, or both when they agree. */
const kindOf = ({ kind, type }: CreateCredentialDto): string => {
  if (kind !== undefined && type !== undefined && kind !== type) throw validationFailed([{ field: 'type', reasons: [`must be the kind ("${kind}") when both are given`] }]);
  const resolved = kind ?? type;
  if (resolved === undefined) throw validationFailed([{ field: 'kind', reasons: ['give kind (or type)'] }]);
  return resolved;
};

/** Credentials (design.md §8): admins manage them; secrets go in and never come out. */
@ApiTags('credentials')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 503)
@Controller('api/integrations/credentials')
export class CredentialsController {
  constructor(private readonly registry: RegistryClient) {}

  @Get()
  @ApiOperation({ summary: "the organization's credentials by name: metadata and secret field names" })
  @ApiOkResponse({ type: CredentialPageDoc })
  list(@Context() context: RequestContext, @Query() query: PageQueryDto) {
    return this.registry.call(R.listCredentials, context, query);
  }

  @Post()
  @ApiOperation({ summary: 'store a credential (admin); the secret is write-only' })
  @ApiCreatedResponse({ type: CredentialViewDoc })
  create(@Context() context: RequestContext, @Body() body: CreateCredentialDto) {
    const { name, secret } = body;
    return this.registry.call(R.createCredential, context, { name, kind: kindOf(body), secret });
  }

  @Get(':id')
  @ApiOperation({ summary: 'one credential: metadata and secret field names, never the secret' })
  @ApiOkResponse({ type: CredentialViewDoc })
  get(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.registry.call(R.getCredential, context, { credential_id: id });
  }

  @Put(':id')
  @ApiOperation({ summary: 'rename, and with secret rotate for every connection using it' })
  @ApiOkResponse({ type: CredentialViewDoc })
  update(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: UpdateCredentialDto) {
    return this.registry.call(R.updateCredential, context, { ...body, credential_id: id });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'delete; its secret becomes unrecoverable. In use by connections: 409 listing them (details.connection_ids), unless force=true detaches them' })
  @ApiOkResponse({ type: CredentialDeletedDoc })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  delete(@Context() context: RequestContext, @Param() { id }: IdParams, @Query() { force }: DeleteCredentialQueryDto) {
    return this.registry.call(R.deleteCredential, context, { credential_id: id, ...(force !== undefined ? { force } : {}) });
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: "test the stored credential against a connection's address or a target; changes nothing, shows no secret" })
  @ApiOkResponse({ type: ProbeResultDoc })
  test(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: TestCredentialDto) {
    return this.registry.call(R.testCredential, context, { ...body, credential_id: id });
  }

  @Post(':id/connections')
  @HttpCode(200)
  @ApiOperation({ summary: 'make several connections use the credential, each updated as PUT …/connections/{id} would; a result per connection' })
  @ApiOkResponse({ type: CredentialAssignmentsDoc })
  assign(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: AssignCredentialDto) {
    return this.registry.call(R.assignCredential, context, { ...body, credential_id: id });
  }
}
