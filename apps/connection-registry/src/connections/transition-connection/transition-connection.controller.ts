import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import { traceOf } from '../command-context';
import { TransitionConnectionDto } from './transition-connection.dto';
import { TransitionConnectionHandler } from './transition-connection.handler';

/**
 * Who is the system is decided by the subject, not by the payload: only discovery may publish
 * `registry.sys.transition` (docs/bus-security.md), and a `cause: 'system'` on the user subject
 * is refused.
 */
@Controller()
export class TransitionConnectionController {
  constructor(private readonly handler: TransitionConnectionHandler) {}

  @MessagePattern(SUBJECTS.registry.transition)
  transition(@Payload() request: TransitionConnectionDto, @Ctx() context: NatsContext) {
    if (request.cause === 'system') {
      throw validationFailed([{ field: 'cause', reasons: [`a system transition travels on ${SUBJECTS.registry.systemTransition}`] }]);
    }
    return this.handler.handle(request, traceOf(context));
  }

  @MessagePattern(SUBJECTS.registry.systemTransition)
  systemTransition(@Payload() request: TransitionConnectionDto, @Ctx() context: NatsContext) {
    return this.handler.handle({ ...request, cause: 'system' }, traceOf(context));
  }
}
