import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ReplyError, STATUSES, SUBJECTS, type ConnectionDefinition, type ConnectionsStatusPage, type HistoryEntry } from '@clp/contracts';
import { KIND_DEFINITIONS } from '@clp/connection-definitions';
import { allowedTransitions } from '@clp/connection-lifecycle';
import { CallerRequest } from '@clp/messaging';
import { visibleTo } from '../connections/command-context';
import { ConnectionCommands } from '../connections/connection-commands';
import { ConnectionRefDto } from '../connections/connection-ref.dto';
import { ConnectionReadModel, type ListCriteria } from '../read-model/connection-read-model';
import { ListConnectionsDto } from './list-connections.dto';

/** The allowed transitions of every status, for people and for the system, as the API shows them. */
const transitionsOf = (autoConnect: boolean): ConnectionDefinition['allowed_transitions'] =>
  Object.fromEntries(
    STATUSES.map((status) => [
      status,
      {
        user: allowedTransitions(status, 'user'),
        system: allowedTransitions(status, 'system', { auto_connect: autoConnect, disconnected_by: 'system' }),
      },
    ]),
  );

@Controller()
export class ConnectionQueriesController {
  constructor(
    private readonly readModel: ConnectionReadModel,
    private readonly connections: ConnectionCommands,
  ) {}

  @MessagePattern(SUBJECTS.registry.listConnections)
  list(@Payload() query: ListConnectionsDto) {
    const [field, direction] = (query.order ?? 'updated_at desc').split(' ');
    const criteria: ListCriteria = {
      page: query.page ?? 0,
      pagesize: query.pagesize ?? 10,
      order: field === 'name' ? 'name' : field === 'created_at' ? 'created' : 'updated',
      direction: direction === 'asc' ? 'asc' : 'desc',
      status: query.status,
      kind: query.kind,
      type: query.type,
      tags: query.tags,
      search: query.search,
      name: query.name,
    };
    return this.readModel.list(query.caller.organization_id, criteria);
  }

  @MessagePattern(SUBJECTS.registry.connectionsStatus)
  status(@Payload() request: CallerRequest): Promise<ConnectionsStatusPage> {
    return this.readModel.statusCounts(request.caller.organization_id);
  }

  @MessagePattern(SUBJECTS.registry.getConnection)
  async get(@Payload() request: ConnectionRefDto) {
    const view = await this.readModel.get(request.caller.organization_id, request.connection_id);
    if (!view) throw new ReplyError('not_found', 'connection not found');
    return view;
  }

  /** The stream's events, oldest first; still readable after deletion, for audit. */
  @MessagePattern(SUBJECTS.registry.connectionHistory)
  async history(@Payload() request: ConnectionRefDto): Promise<{ events: HistoryEntry[] }> {
    visibleTo(request.caller, await this.connections.load(request.connection_id), { includeDeleted: true });
    const recorded = await this.connections.history(request.connection_id);
    return {
      events: recorded.map((e) => ({
        type: e.type,
        revision: e.revision.toString(),
        data: e.data,
        occurred_at: e.metadata.occurred_at,
        actor: e.metadata.actor.id,
      })),
    };
  }

  @MessagePattern(SUBJECTS.registry.listDefinitions)
  definitions(@Payload() _request: CallerRequest): { definitions: ConnectionDefinition[] } {
    return {
      definitions: KIND_DEFINITIONS.map(({ kind, type, sub_type, connection_schema, credential_schema, identity, auto_connect }) => ({
        kind,
        type,
        sub_type,
        connection_schema,
        credential_schema,
        identity,
        auto_connect,
        allowed_transitions: transitionsOf(auto_connect),
      })),
    };
  }
}
