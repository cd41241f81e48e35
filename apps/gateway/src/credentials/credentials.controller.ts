import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SUBJECTS } from '@clp/contracts';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RegistryClient } from '../registry/registry-client';
import { IdParams } from '../validation/id-params';
import { PageQueryDto } from '../validation/page.query';
import { CreateCredentialDto, UpdateCredentialDto } from './credential.dto';
import { CredentialDeletedDoc, CredentialPageDoc, CredentialViewDoc } from './credential.views';

const R = SUBJECTS.registry;

/** Credentials (DESIGN 8): admins manage them; secrets go in and never come out. */
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
    return this.registry.call(R.createCredential, context, body);
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
  @ApiOperation({ summary: 'delete; its secret becomes unrecoverable' })
  @ApiOkResponse({ type: CredentialDeletedDoc })
  delete(@Context() context: RequestContext, @Param() { id }: IdParams) {
    return this.registry.call(R.deleteCredential, context, { credential_id: id });
  }
}
