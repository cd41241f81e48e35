import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { WhenPresent } from '@clp/messaging';
import { IsSecretFields } from '../validation/decorators';

const SECRET = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: 65_536 },
  example: { token: '…' },
  description: "the kind's credential form (e.g. token, or username and password); write-only, never returned",
  writeOnly: true,
} as const;

export class CreateCredentialDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'kubernetes', maxLength: 64, description: 'the connection kind whose credential form it fills' })
  @IsString()
  @Length(1, 64)
  kind!: string;

  @ApiProperty(SECRET)
  @IsSecretFields()
  secret!: Record<string, string>;
}

/** A new name, and with `secret` a rotation: every connection using the credential gets the new secret. */
export class UpdateCredentialDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional(SECRET)
  @WhenPresent()
  @IsSecretFields()
  secret?: Record<string, string>;
}
