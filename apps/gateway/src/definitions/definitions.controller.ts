import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { SUBJECTS, type ConnectionDefinition } from '@clp/contracts';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RegistryClient } from '../registry/registry-client';

class DefinitionDoc implements ConnectionDefinition {
  @ApiProperty({ example: 'kubernetes' }) kind!: string;
  @ApiProperty({ example: 'platform' }) type!: string;
  @ApiProperty({ example: 'management' }) sub_type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the connection form' })
  connection_schema!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the credential form' })
  credential_schema!: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'the form fields that identify the resource' }) identity!: string[];
  @ApiProperty() auto_connect!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { registered: { user: ['connected', 'ignored', 'maintenance', 'deleted'], system: ['not found'] } },
    description: 'per status, the statuses a person and the system may move it to',
  })
  allowed_transitions!: ConnectionDefinition['allowed_transitions'];
}

class DefinitionsDoc {
  @ApiProperty({ type: [DefinitionDoc] }) definitions!: DefinitionDoc[];
}

@ApiTags('connection definitions')
@ApiBearerAuth()
@ApiErrors(401, 503)
@Controller('api/integrations/connection-definitions')
export class DefinitionsController {
  constructor(private readonly registry: RegistryClient) {}

  @Get()
  @ApiOperation({ summary: 'the kinds: type, sub-type, form schemas, identity, auto-connect and allowed transitions' })
  @ApiOkResponse({ type: DefinitionsDoc, description: 'the connection kinds: forms, identity, auto-connect, allowed transitions' })
  list(@Context() context: RequestContext) {
    return this.registry.call(SUBJECTS.registry.listDefinitions, context, {});
  }
}
