import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS, type ScanClustersReply } from '@clp/contracts';
import { incomingContext } from '@clp/messaging';
import { ClusterScans } from './cluster-scans';
import { ScanClustersDto } from './scan-clusters.dto';

@Controller()
export class ClusterScanController {
  constructor(private readonly scans: ClusterScans) {}

  @MessagePattern(SUBJECTS.discovery.scanClusters)
  scan(@Payload() request: ScanClustersDto, @Ctx() context: NatsContext): Promise<ScanClustersReply> {
    return this.scans.onDemand(request, incomingContext(context.getHeaders()).correlation_id);
  }
}
