import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ReplyError } from '@clp/contracts';
import { Public } from '../auth/request-context';
import { ErrorDoc } from '../errors/error.views';
import { Readiness, type CheckResult, type Dependency, type ReadModelReport, type ReadModelService } from './readiness';

class ReadyDoc {
  @ApiProperty({ example: 'ready' }) status!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { nats: { ok: true, latency_ms: 1 }, redis: { ok: true, latency_ms: 1 }, event_store: { ok: true, latency_ms: 2 } },
  })
  checks!: Record<Dependency, CheckResult>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "each service's read models: dead_letters counts the events they could not apply and skipped; error when the service did not answer",
    example: { registry: { dead_letters: 0 }, environment: { dead_letters: 0 }, notification: { dead_letters: 0 } },
  })
  read_models!: Record<ReadModelService, ReadModelReport>;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @ApiOperation({ summary: 'the process runs' })
  @ApiOkResponse({ schema: { example: { status: 'live' } } })
  live() {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'NATS, Redis and the event store answer' })
  @ApiOkResponse({ type: ReadyDoc })
  @ApiServiceUnavailableResponse({ type: ErrorDoc, description: 'unavailable, with details.checks naming what failed' })
  async ready(): Promise<ReadyDoc> {
    const [checks, read_models] = await Promise.all([this.readiness.check(), this.readiness.readModels()]);
    const failed = (Object.keys(checks) as Dependency[]).filter((name) => !checks[name].ok);
    if (failed.length) throw new ReplyError('unavailable', `not ready: ${failed.join(', ')} did not answer`, { failed, checks, read_models });
    return { status: 'ready', checks, read_models };
  }
}
