import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { traceOf } from '../command-context';
import { RegisterConnectionDto } from './register-connection.dto';
import { RegisterConnectionHandler } from './register-connection.handler';

@Controller()
export class RegisterConnectionController {
  constructor(private readonly handler: RegisterConnectionHandler) {}

  @MessagePattern(SUBJECTS.registry.registerConnection)
  register(@Payload() request: RegisterConnectionDto, @Ctx() context: NatsContext) {
    return this.handler.handle(request, traceOf(context));
  }
}
