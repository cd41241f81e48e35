import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { KUBECONFIG_MAX_LENGTH, SUBJECTS } from '@clp/contracts';
import { WhenPresent } from '@clp/messaging';
import { Context, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { DiscoveryClient } from './discovery-client';
import { KUBECONFIG_FIELD, kubeconfigOf } from './kubeconfig-upload';
import { ImportKubeconfigDoc, ScanClustersDoc } from './kubernetes.views';

const D = SUBJECTS.discovery;

export class ScanClustersDto {
  @ApiPropertyOptional({ format: 'uuid', description: "one cluster's connection; all connected clusters of the organization when absent" })
  @WhenPresent()
  @IsUUID()
  connection_id?: string;
}

/** Kubernetes discovery (design.md §10): kubeconfig uploads and cluster scans, served by the discovery service. */
@ApiTags('kubernetes')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 503)
@Controller('api/system/kubernetes')
export class KubernetesController {
  constructor(private readonly discovery: DiscoveryClient) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'upload a kubeconfig: one kubernetes connection per context, its credentials stored, then connected if its test passes',
    description:
      `Multipart with the kubeconfig in the field \`${KUBECONFIG_FIELD}\` (a file or a plain field), or JSON \`{"kubeconfig": "…"}\`; ` +
      `at most ${KUBECONFIG_MAX_LENGTH} bytes. Uploading the same kubeconfig again answers the same connections. ` +
      'A kubeconfig that is not YAML, has no contexts, or names a missing cluster or user is refused whole (400), and nothing is stored.',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { [KUBECONFIG_FIELD]: { type: 'string', format: 'binary' }, kubeconfig: { type: 'string' } },
    },
  })
  @ApiOkResponse({ type: ImportKubeconfigDoc })
  async upload(@Context() context: RequestContext, @Req() request: FastifyRequest) {
    return this.discovery.call(D.importKubeconfig, context, { kubeconfig: await kubeconfigOf(request) });
  }

  @Post('scan')
  @HttpCode(200)
  @ApiOperation({ summary: "scan the organization's connected clusters (or one) for Prometheus and Grafana now; findings become discovered connections" })
  @ApiOkResponse({ type: ScanClustersDoc })
  scan(@Context() context: RequestContext, @Body() body: ScanClustersDto) {
    return this.discovery.call(D.scanClusters, context, body);
  }
}
