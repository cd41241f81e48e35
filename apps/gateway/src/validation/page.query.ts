import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { WhenPresent } from '@clp/messaging';
import { QueryInteger } from './decorators';

/** `page` (from 0) and `pagesize` (1 to 100) of every list (DESIGN 10), as the registry takes them. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000 })
  @WhenPresent()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100 })
  @WhenPresent()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  pagesize?: number;
}
