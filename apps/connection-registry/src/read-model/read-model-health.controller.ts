import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { ConnectionReadModel } from './connection-read-model';

/** What the gateway's readiness shows of the registry's read model: the events it skipped. */
@Controller()
export class ReadModelHealthController {
  constructor(private readonly readModel: ConnectionReadModel) {}

  @MessagePattern(SUBJECTS.registry.readModelHealth)
  async health() {
    return { dead_letters: await this.readModel.deadLetters() };
  }
}
