import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS, type ImportKubeconfigReply } from '@clp/contracts';
import { incomingContext } from '@clp/messaging';
import { ImportKubeconfigDto } from './import-kubeconfig.dto';
import { KubeconfigImport } from './import-kubeconfig';

@Controller()
export class KubeconfigController {
  constructor(private readonly kubeconfigs: KubeconfigImport) {}

  @MessagePattern(SUBJECTS.discovery.importKubeconfig)
  import(@Payload() request: ImportKubeconfigDto, @Ctx() context: NatsContext): Promise<ImportKubeconfigReply> {
    return this.kubeconfigs.import(request, incomingContext(context.getHeaders()).correlation_id);
  }
}
