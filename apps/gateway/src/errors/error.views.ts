import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from '@clp/contracts';

export class ErrorBodyDoc {
  @ApiProperty({ enum: [...ERROR_CODES, 'internal'] }) code!: string;
  @ApiProperty({ description: 'safe to show: never a secret' }) message!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'validation_failed: {fields: [{field, reasons}]}; invalid_transition: the allowed targets',
  })
  details!: Record<string, unknown>;
}

/** The envelope of every error (design.md §10). */
export class ErrorDoc {
  @ApiProperty({ type: ErrorBodyDoc }) error!: ErrorBodyDoc;
}
