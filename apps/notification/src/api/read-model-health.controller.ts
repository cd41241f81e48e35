import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { NotificationLog } from '../log/notification-log';

/** What the gateway's readiness shows of the notifications' projection: the stream messages it skipped. */
@Controller()
export class ReadModelHealthController {
  constructor(private readonly log: NotificationLog) {}

  @MessagePattern(SUBJECTS.notification.readModelHealth)
  async health() {
    return { dead_letters: await this.log.deadLetters() };
  }
}
