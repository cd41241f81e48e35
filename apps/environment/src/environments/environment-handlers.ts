import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { Caller, EnvironmentView } from '@clp/contracts';
import {
  claimHolds,
  environmentDecider,
  nameClaimDecider,
  nameClaimId,
  normalizedName,
  type CommandMetadata,
  type EnvironmentCommand,
} from '@clp/environments';
import { COMMAND_ATTEMPTS, ExpectedRevisionConflict, pauseAfterConflict, stillConflicting } from '@clp/event-store';
import { requireRole } from '@clp/messaging';
import { commandMetadata, type TraceIds } from '../shell/command-context';
import { environmentStream, nameClaimStream, StreamCommands } from '../shell/stream-commands';
import { ConnectionCheck } from './connection-check';
import type { AssignmentDto, CreateEnvironmentDto, EnvironmentRefDto, UpdateEnvironmentDto } from './environment.dto';
import { LIFECYCLE, type Lifecycle } from './lifecycle';
import { deletedEnvironment, environmentView, visibleEnvironment } from './views';

// Namespace of the name claims' command ids, derived from the command that claims.
const CLAIM_NAMESPACE = '9c1e4b7a-2d3f-5a6b-8c9d-0e1f2a3b4c5d';

/**
 * The environment commands. Names are unique per organization through claim streams
 * (`environment_name-<hash of organization and normalized name>`): a name is claimed before the
 * environment (or its rename) is stored, and released after the rename or deletion.
 */
@Injectable()
export class EnvironmentHandlers {
  private readonly logger = new Logger(EnvironmentHandlers.name);

  constructor(
    private readonly streams: StreamCommands,
    private readonly connections: ConnectionCheck,
    @Inject(LIFECYCLE) private readonly lifecycle: Lifecycle,
  ) {}

  load(environmentId: string) {
    return this.streams.load(environmentDecider, environmentStream(environmentId));
  }

  async get(caller: Caller, environmentId: string): Promise<EnvironmentView> {
    return environmentView(visibleEnvironment(caller, await this.load(environmentId)));
  }

  async create(request: CreateEnvironmentDto, trace: TraceIds): Promise<EnvironmentView> {
    const { caller } = request;
    requireRole(caller, 'operator');
    const metadata = commandMetadata(caller);
    const environment_id = randomUUID();
    await this.claim(caller.organization_id, request.name, environment_id, metadata, trace);
    const data = {
      environment_id,
      organization_id: caller.organization_id,
      name: request.name,
      description: request.description ?? '',
      owner: caller.user_id,
      tags: request.tags ?? [],
      metadata: request.metadata ?? {},
    };
    return environmentView(await this.streams.execute(environmentDecider, environmentStream(environment_id), { type: 'CreateEnvironment', data, metadata }, trace));
  }

  async update(request: UpdateEnvironmentDto, trace: TraceIds): Promise<EnvironmentView> {
    const { caller, environment_id, ...changes } = request;
    requireRole(caller, 'operator');
    const loaded = visibleEnvironment(caller, await this.load(environment_id));
    const metadata = commandMetadata(caller);
    const previous = loaded.state.name;
    const renamed = changes.name !== undefined && normalizedName(changes.name) !== normalizedName(previous);
    if (renamed) await this.claim(caller.organization_id, changes.name as string, environment_id, metadata, trace);
    const executed = await this.streams.execute(environmentDecider, environmentStream(environment_id), { type: 'UpdateEnvironment', data: changes, metadata }, trace, loaded);
    if (renamed) await this.release(caller.organization_id, previous, environment_id, trace);
    return environmentView(executed);
  }

  async delete(request: EnvironmentRefDto, trace: TraceIds): Promise<{ id: string }> {
    const { caller, environment_id } = request;
    requireRole(caller, 'admin');
    const loaded = visibleEnvironment(caller, await this.load(environment_id));
    await this.streams.execute(environmentDecider, environmentStream(environment_id), { type: 'DeleteEnvironment', data: {}, metadata: commandMetadata(caller) }, trace, loaded);
    await this.release(caller.organization_id, loaded.state.name, environment_id, trace);
    return { id: environment_id };
  }

  /**
   * A deleted environment back, within its retention: its name is claimed again first (409 when
   * another environment took it meanwhile); it comes back active, without connections or workspaces.
   */
  async recover(request: EnvironmentRefDto, trace: TraceIds): Promise<EnvironmentView> {
    const { caller, environment_id } = request;
    requireRole(caller, 'admin');
    const loaded = deletedEnvironment(caller, await this.load(environment_id));
    const metadata = commandMetadata(caller);
    const command: EnvironmentCommand = { type: 'RecoverEnvironment', data: { retention_ms: this.lifecycle.retentionMs }, metadata };
    environmentDecider.decide(command, loaded.state);
    await this.claim(caller.organization_id, loaded.state.name, environment_id, metadata, trace);
    return environmentView(await this.streams.execute(environmentDecider, environmentStream(environment_id), command, trace, loaded));
  }

  async assign(request: AssignmentDto, trace: TraceIds): Promise<EnvironmentView> {
    const { caller, environment_id, connection_id } = request;
    requireRole(caller, 'operator');
    const [loaded] = await Promise.all([this.load(environment_id), this.connections.assignable(caller, connection_id)]);
    return this.execute(caller, environment_id, { type: 'AssignConnection', data: { connection_id }, metadata: commandMetadata(caller) }, trace, loaded);
  }

  /** Removing never checks the connection: a connection deleted or unknown is simply not there. */
  async unassign(request: AssignmentDto, trace: TraceIds): Promise<EnvironmentView> {
    const { caller, environment_id, connection_id } = request;
    requireRole(caller, 'operator');
    const command: EnvironmentCommand = { type: 'UnassignConnection', data: { connection_id, reason: 'removed' }, metadata: commandMetadata(caller) };
    return this.execute(caller, environment_id, command, trace, await this.load(environment_id));
  }

  private async execute(caller: Caller, environmentId: string, command: EnvironmentCommand, trace: TraceIds, loaded: Awaited<ReturnType<EnvironmentHandlers['load']>>) {
    const visible = visibleEnvironment(caller, loaded);
    return environmentView(await this.streams.execute(environmentDecider, environmentStream(environmentId), command, trace, visible));
  }

  /**
   * Claims `name` for the environment, or answers `conflict` when another environment holds it.
   * Whether the holder still holds it is a fact of the claim's current state, so a lost race is
   * decided again from the start, not retried with the fact of the earlier state.
   */
  private async claim(organizationId: string, name: string, environmentId: string, metadata: CommandMetadata, trace: TraceIds): Promise<void> {
    const stream = nameClaimStream(nameClaimId(organizationId, name));
    for (let attempt = 1; ; attempt++) {
      const claim = await this.streams.load(nameClaimDecider, stream);
      const holder = claim.state.holder;
      const holds = holder && holder.environment_id !== environmentId ? claimHolds(holder, (await this.load(holder.environment_id)).state, metadata.now) : false;
      const data = { organization_id: organizationId, name, environment_id: environmentId, holder_holds: holds };
      // A command id of its own: the same as the environment command's would make the event
      // store take the environment's commit for a retry of the claim's, and drop it.
      const command = { type: 'ClaimName' as const, data, metadata: { ...metadata, command_id: uuidv5(`${metadata.command_id}/name-claim`, CLAIM_NAMESPACE) } };
      try {
        await this.streams.execute(nameClaimDecider, stream, command, trace, claim, { attempts: 1 });
        return;
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        if (attempt >= COMMAND_ATTEMPTS) throw stillConflicting();
        await pauseAfterConflict(attempt);
      }
    }
  }

  /** Best effort: a claim its environment no longer uses is taken over by the next one anyway (`claimHolds`). */
  private async release(organizationId: string, name: string, environmentId: string, trace: TraceIds): Promise<void> {
    const stream = nameClaimStream(nameClaimId(organizationId, name));
    const metadata: CommandMetadata = { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system', id: 'environment' } };
    try {
      await this.streams.execute(nameClaimDecider, stream, { type: 'ReleaseName', data: { organization_id: organizationId, environment_id: environmentId }, metadata }, trace);
    } catch (error) {
      this.logger.warn(`the name claim of environment ${environmentId} was not released: ${(error as Error).message}`);
    }
  }
}
