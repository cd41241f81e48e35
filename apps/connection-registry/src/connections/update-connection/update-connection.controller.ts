import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { traceOf } from '../command-context';
import { UpdateConnectionDto } from './update-connection.dto';
import { UpdateConnectionHandler } from './update-connection.handler';

@Controller()
export class UpdateConnectionController {
  constructor(private readonly handler: UpdateConnectionHandler) {}

  @MessagePattern(SUBJECTS.registry.updateConnection)
  update(@Payload() request: UpdateConnectionDto, @Ctx() context: NatsContext) {
    return this.handler.handle(request, traceOf(context));
  }
}
