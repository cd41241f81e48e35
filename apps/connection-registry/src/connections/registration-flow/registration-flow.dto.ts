import { IsIn, IsUUID } from 'class-validator';
import type { CompleteRegistrationRequest, InitRegistrationRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest } from '@clp/messaging';
import { RegisterConnectionDto } from '../register-connection/register-connection.dto';

export class InitRegistrationDto extends CallerRequest implements InitRegistrationRequest {
  @IsIn(KINDS)
  kind!: string;
}

export class CompleteRegistrationDto extends RegisterConnectionDto implements CompleteRegistrationRequest {
  /** The tracker id `init` returned. */
  @IsUUID()
  id!: string;
}
