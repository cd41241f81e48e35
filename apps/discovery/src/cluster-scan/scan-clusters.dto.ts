import { IsOptional, IsUUID } from 'class-validator';
import type { ScanClustersRequest } from '@clp/contracts';
import { CallerRequest } from '@clp/messaging';

export class ScanClustersDto extends CallerRequest implements ScanClustersRequest {
  @IsOptional()
  @IsUUID()
  connection_id?: string;
}
