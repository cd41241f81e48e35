import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, IsUUID, Length } from 'class-validator';
import { WhenPresent } from '@clp/messaging';
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
  skipConnectivityTest: () =>
    applyDecorators(
      ApiPropertyOptional({ description: 'admins only: skip the connectivity test', default: false }),
      WhenPresent(),
      IsBoolean(),
    ),
};
