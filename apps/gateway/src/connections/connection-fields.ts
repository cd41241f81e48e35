import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsString, IsUUID, Length } from 'class-validator';
import { IsTags, MAX_TAGS, WhenPresent } from '@clp/messaging';
import { IsBoundedObject, IsSecretFields } from '../validation/decorators';

/** The fields a connection form shares between registering, completing a registration and testing. */
export const Field = {
  kind: () =>
    applyDecorators(
      ApiProperty({ example: 'prometheus', maxLength: 64, description: 'a kind of GET /api/integrations/connection-definitions' }),
      IsString(),
      Length(1, 64),
    ),
  name: () => applyDecorators(ApiProperty({ example: 'prometheus (staging)', minLength: 1, maxLength: 100 }), IsString(), Length(1, 100)),
  metadata: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: 'object',
        additionalProperties: true,
        example: { url: 'http://prometheus:9090' },
        description: "the kind's connection form (at most 64 keys, 64 KiB)",
      }),
      WhenPresent(),
      IsBoundedObject({ maxKeys: 64, maxBytes: 65_536 }),
    ),
  credentialId: () => applyDecorators(ApiPropertyOptional({ format: 'uuid', description: 'a stored credential' }), WhenPresent(), IsUUID()),
  credentialSecret: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: 'object',
        additionalProperties: { type: 'string', maxLength: 65_536 },
        example: { token: '…' },
        description: "the kind's credential form, stored as a new credential; write-only, never returned",
        writeOnly: true,
      }),
      WhenPresent(),
      IsSecretFields(),
    ),
  tags: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: [String],
        maxItems: MAX_TAGS,
        uniqueItems: true,
        example: ['production', 'team-a'],
        description: 'labels to group and find connections by (each 1 to 64 characters)',
      }),
      WhenPresent(),
      IsTags(),
    ),
  environmentIds: () =>
    applyDecorators(
      ApiPropertyOptional({
        type: [String],
        format: 'uuid',
        maxItems: 20,
        uniqueItems: true,
        description: 'environments to assign the new connection to, as the Registration Modal does',
      }),
      WhenPresent(),
      IsArray(),
      ArrayMaxSize(20),
      ArrayUnique(),
      IsUUID('all', { each: true }),
    ),
  type: () =>
    applyDecorators(
      ApiPropertyOptional({ example: 'observability', description: "the kind's type, as Meshery sends it; must be the kind's" }),
      WhenPresent(),
      IsString(),
      Length(1, 64),
    ),
  subType: () =>
    applyDecorators(
      ApiPropertyOptional({ example: 'monitoring', description: "the kind's sub-type, as Meshery sends it; must be the kind's" }),
      WhenPresent(),
      IsString(),
      Length(1, 64),
    ),
  skipConnectivityTest: () =>
    applyDecorators(
      ApiPropertyOptional({ description: 'admins only: skip the connectivity test', default: false }),
      WhenPresent(),
      IsBoolean(),
    ),
};
