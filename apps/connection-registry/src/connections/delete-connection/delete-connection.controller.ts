import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { requireRole } from '@clp/messaging';
import { commandMetadata, traceOf, visibleTo } from '../command-context';
import { ConnectionCommands } from '../connection-commands';
import { ConnectionRefDto } from '../connection-ref.dto';

/** Deleting is terminal: the connection leaves every query; its history stays for audit. */
@Controller()
export class DeleteConnectionController {
  constructor(private readonly connections: ConnectionCommands) {}

  @MessagePattern(SUBJECTS.registry.deleteConnection)
  async delete(@Payload() request: ConnectionRefDto, @Ctx() context: NatsContext) {
    const { caller } = request;
    requireRole(caller, 'admin');
    const loaded = visibleTo(caller, await this.connections.load(request.connection_id));
    await this.connections.execute(
      request.connection_id,
      { type: 'DeleteConnection', data: { reason: 'deleted through the API' }, metadata: commandMetadata(caller) },
      traceOf(context),
      loaded,
    );
    return { id: request.connection_id };
  }
}
