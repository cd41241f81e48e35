import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CallerRequest } from '@clp/messaging';

export { CallerDto, CallerRequest, requireRole } from '@clp/messaging';

/** `page` (from 0) and `pagesize` (1 to 100, DESIGN 10) of every list query. */
export class PageRequest extends CallerRequest {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  pagesize?: number;
}
