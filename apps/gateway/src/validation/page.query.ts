import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { WhenPresent } from '@clp/messaging';
import { QueryInteger } from './decorators';

export const MAX_PAGE_SIZE = 100;

/** `page` (from 0) and `pagesize` (1 to 100) of every list (design.md §10), as the registry takes them. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000 })
  @WhenPresent()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({
    // A query string either way: a number or the word, as Meshery's own API document types it.
    type: String,
    pattern: '^([0-9]+|all)$',
    default: '10',
    description: `1 to ${MAX_PAGE_SIZE}; \`all\` is the largest page (${MAX_PAGE_SIZE}), as Meshery's clients ask for it`,
  })
  @WhenPresent()
  @QueryInteger({ all: MAX_PAGE_SIZE })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pagesize?: number;
}
