import { IsUUID } from 'class-validator';
import type { ConnectionRef } from '@clp/contracts';
import { CallerRequest } from '@clp/messaging';

export class ConnectionRefDto extends CallerRequest implements ConnectionRef {
  @IsUUID()
  connection_id!: string;
}
