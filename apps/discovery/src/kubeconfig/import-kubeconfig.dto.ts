import { IsString, Length } from 'class-validator';
import { KUBECONFIG_MAX_LENGTH, type ImportKubeconfigRequest } from '@clp/contracts';
import { CallerRequest } from '@clp/messaging';

export class ImportKubeconfigDto extends CallerRequest implements ImportKubeconfigRequest {
  @IsString()
  @Length(1, KUBECONFIG_MAX_LENGTH)
  kubeconfig!: string;
}
