import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from '@clp/contracts';
import { EDGE_ERROR_STATUS } from './error-response';

export class ErrorBodyDoc {
  @ApiProperty({ enum: [...ERROR_CODES, 'internal', ...Object.keys(EDGE_ERROR_STATUS)] }) code!: string;
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
