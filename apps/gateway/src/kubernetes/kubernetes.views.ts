import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUSES, type FoundService, type ImportedContext, type ImportKubeconfigReply, type ScanClustersReply, type ScannedCluster, type Status } from '@clp/contracts';

// The OpenAPI shapes of discovery's replies, which the gateway returns as they are.

export class ImportedContextDoc implements ImportedContext {
  @ApiProperty() context!: string;
  @ApiProperty() cluster!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the kubeconfig user, part of the connection identity' }) user!: string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'the connection' }) id?: string;
  @ApiPropertyOptional({ enum: STATUSES }) status?: Status;
  @ApiPropertyOptional({ description: 'true when this upload created the connection and its credential' }) created?: boolean;
  @ApiPropertyOptional({ description: 'why it is not connected, or why it was not imported; never a secret' }) reason?: string;
}

export class ImportKubeconfigDoc implements ImportKubeconfigReply {
  @ApiProperty({ type: [ImportedContextDoc], description: 'stored, not connected (reason says why)' }) registered!: ImportedContextDoc[];
  @ApiProperty({ type: [ImportedContextDoc], description: 'connected' }) connected!: ImportedContextDoc[];
  @ApiProperty({ type: [ImportedContextDoc], description: 'already ignored: left ignored' }) ignored!: ImportedContextDoc[];
  @ApiProperty({ type: [ImportedContextDoc], description: 'not stored (reason says why)' }) errored!: ImportedContextDoc[];
}

export class FoundServiceDoc implements FoundService {
  @ApiProperty({ example: 'prometheus' }) kind!: string;
  @ApiProperty() namespace!: string;
  @ApiProperty() service!: string;
  @ApiProperty({ example: 'http://prometheus-server.monitoring.svc:9090' }) url!: string;
  @ApiProperty({ format: 'uuid', description: 'the same for this cluster and Service on every scan' }) report_id!: string;
}

export class ScannedClusterDoc implements ScannedCluster {
  @ApiProperty({ format: 'uuid' }) connection_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Services listed in the cluster' }) services!: number;
  @ApiProperty({ type: [FoundServiceDoc] }) found!: FoundServiceDoc[];
  @ApiPropertyOptional({ description: 'why the cluster could not be scanned' }) error?: string;
}

export class ScanClustersDoc implements ScanClustersReply {
  @ApiProperty({ type: [ScannedClusterDoc] }) clusters!: ScannedClusterDoc[];
}
