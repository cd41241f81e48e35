import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { traceOf } from '../command-context';
import { TransitionConnectionDto } from './transition-connection.dto';
import { TransitionConnectionHandler } from './transition-connection.handler';

@Controller()
export class TransitionConnectionController {
  constructor(private readonly handler: TransitionConnectionHandler) {}

  @MessagePattern(SUBJECTS.registry.transition)
  transition(@Payload() request: TransitionConnectionDto, @Ctx() context: NatsContext) {
    return this.handler.handle(request, traceOf(context));
  }
}
