import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { traceOf } from '../command-context';
import { DiscoverConnectionDto } from './discover-connection.dto';
import { DiscoverConnectionHandler } from './discover-connection.handler';

@Controller()
export class DiscoverConnectionController {
  constructor(private readonly handler: DiscoverConnectionHandler) {}

  @MessagePattern(SUBJECTS.registry.discoverConnection)
  discover(@Payload() request: DiscoverConnectionDto, @Ctx() context: NatsContext) {
    return this.handler.handle(request, traceOf(context));
  }
}
