import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Status } from '@clp/contracts';
import { kindDefinition, resourceOf } from '@clp/connection-definitions';
import type { Connection } from '@clp/connection-lifecycle';
import { ConnectionCommands } from '../connections/connection-commands';

export const SERVER_IDENTITY = Symbol('SERVER_IDENTITY');

export interface ServerIdentity {
  organization_id: string;
  server_id: string;
  server_version: string;
  server_build_sha: string;
  server_location: string;
}

/**
 * At start-up the server's own `meshery` connection exists and is `connected` (design.md §6.4).
 * Replicas starting together race on the connection's stream; the loser finds it made.
 */
@Injectable()
export class SelfRegistration implements OnApplicationBootstrap {
  private readonly logger = new Logger(SelfRegistration.name);

  constructor(
    @Inject(SERVER_IDENTITY) private readonly identity: ServerIdentity,
    private readonly connections: ConnectionCommands,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const definition = kindDefinition('meshery');
    const { organization_id, ...metadata } = this.identity;
    const resource = resourceOf(definition, organization_id, 'this server', metadata);
    const meta = () => ({ command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system' as const, id: 'connection-registry' } });
    const { connection_id, state } = await this.connections.executeForFingerprint(resource.fingerprint, (id) => ({
      // Discovered as the system, then registered and connected: auto-connect kinds connect themselves.
      type: 'DiscoverConnection',
      data: { connection_id: id, ...resource, credential_id: null, source: 'self-registration' },
      metadata: meta(),
    }));
    const current = state as Connection;
    const steps: Record<string, Status | undefined> = {
      discovered: 'registered',
      registered: 'connected',
      // A later start brings it back, unless a person disconnected it (note 2 of design.md §6.2).
      disconnected: current.disconnected_by === 'system' ? 'connected' : undefined,
    };
    for (let next = steps[current.status]; next; next = steps[next]) {
      await this.connections.execute(connection_id, {
        type: 'RequestTransition',
        data: { to: next, reason: 'server started', auto_connect: true },
        metadata: meta(),
      });
    }
    this.logger.log(`this server is connection ${connection_id}`);
  }
}
