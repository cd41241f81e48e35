import { IsUUID } from 'class-validator';
import type { ScanClustersRequest } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';

export class ScanClustersDto extends CallerRequest implements ScanClustersRequest {
  @WhenPresent()
  @IsUUID()
  connection_id?: string;
}
