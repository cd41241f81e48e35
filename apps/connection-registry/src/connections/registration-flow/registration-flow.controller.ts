import { randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import { ReplyError, SUBJECTS, type ConnectionView, type InitRegistrationReply } from '@clp/contracts';
import { kindDefinition } from '@clp/connection-definitions';
import { EVENT_STORE, toEnvelopes, type EventStore } from '@clp/event-store';
import { requireRole, validationFailed } from '@clp/messaging';
import { commandMetadata, traceOf } from '../command-context';
import { ConnectionCommands, viewOf } from '../connection-commands';
import { RegisterConnectionHandler } from '../register-connection/register-connection.handler';
import { ConnectionReadModel } from '../../read-model/connection-read-model';
import { CompleteRegistrationDto, InitRegistrationDto } from './registration-flow.dto';

type RegistrationEvent =
  | { type: 'RegistrationStarted'; data: { id: string; organization_id: string; kind: string; user_id: string } }
  | { type: 'RegistrationCompleted'; data: { id: string; connection_id: string } };

const trackerStream = (id: string) => `registration-${id}`;

/**
 * The two-step registration of design.md §10: `init` returns a tracker id with the kind's form
 * schemas; `register` with that id registers once (a repeated `register` answers with the same
 * connection). The tracker is a stream of its own, so any replica can complete it.
 */
@Controller()
export class RegistrationFlowController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly register: RegisterConnectionHandler,
    private readonly connections: ConnectionCommands,
    private readonly readModel: ConnectionReadModel,
  ) {}

  @MessagePattern(SUBJECTS.registry.initRegistration)
  async init(@Payload() request: InitRegistrationDto, @Ctx() context: NatsContext): Promise<InitRegistrationReply> {
    requireRole(request.caller, 'operator');
    const definition = kindDefinition(request.kind);
    const id = randomUUID();
    const started: RegistrationEvent = {
      type: 'RegistrationStarted',
      data: { id, organization_id: request.caller.organization_id, kind: definition.kind, user_id: request.caller.user_id },
    };
    await this.store.appendToStream(trackerStream(id), toEnvelopes([started], { ...commandMetadata(request.caller), ...traceOf(context) }), {
      expectedRevision: 'no_stream',
    });
    return { id, connection: definition.connection_schema, credential: definition.credential_schema };
  }

  @MessagePattern(SUBJECTS.registry.completeRegistration)
  async complete(@Payload() request: CompleteRegistrationDto, @Ctx() context: NatsContext): Promise<ConnectionView> {
    const recorded = await this.store.readStream(trackerStream(request.id));
    const events = recorded as unknown as RegistrationEvent[];
    const started = events.find((e) => e.type === 'RegistrationStarted');
    const last = recorded.at(-1);
    if (!started || !last || started.data.organization_id !== request.caller.organization_id) {
      throw new ReplyError('not_found', 'registration not found: start it with status "init"');
    }
    if (started.data.kind !== request.kind) {
      throw validationFailed([{ field: 'kind', reasons: [`this registration was started for ${started.data.kind}`] }]);
    }
    const done = events.find((e) => e.type === 'RegistrationCompleted');
    if (done?.type === 'RegistrationCompleted') {
      const view = viewOf(await this.connections.load(done.data.connection_id), {
        environments: await this.readModel.environmentsOf(done.data.connection_id),
      });
      if (!view) throw new ReplyError('not_found', 'the registered connection was deleted');
      return view;
    }
    const trace = traceOf(context);
    const view = await this.register.handle(request, trace);
    const completed: RegistrationEvent = { type: 'RegistrationCompleted', data: { id: request.id, connection_id: view.id } };
    await this.store.appendToStream(trackerStream(request.id), toEnvelopes([completed], { ...commandMetadata(request.caller), ...trace }), {
      expectedRevision: last.revision,
    });
    return view;
  }
}
