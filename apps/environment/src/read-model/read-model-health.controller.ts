import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { EnvironmentReadModel } from './environment-read-model';

/** What the gateway's readiness shows of this service's read model: the events it skipped. */
@Controller()
export class ReadModelHealthController {
  constructor(private readonly readModel: EnvironmentReadModel) {}

  @MessagePattern(SUBJECTS.environment.readModelHealth)
  async health() {
    return { dead_letters: await this.readModel.deadLetters() };
  }
}
