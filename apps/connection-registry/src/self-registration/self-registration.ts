import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ReplyError } from '@clp/contracts';
import { fingerprintOf, identityOf, kindDefinition } from '@clp/connection-definitions';
import type { Connection } from '@clp/connection-lifecycle';
import { ConnectionCommands } from '../connections/connection-commands';
import { FingerprintReservations } from '../connections/fingerprint-reservations';

export const SERVER_IDENTITY = Symbol('SERVER_IDENTITY');

export interface ServerIdentity {
  organization_id: string;
  server_id: string;
  server_version: string;
  server_build_sha: string;
  server_location: string;
}

/**
 * At start-up the server's own `meshery` connection exists and is `connected` (DESIGN 6.4).
 * Replicas starting together race on the fingerprint; the loser finds the connection made.
 */
@Injectable()
export class SelfRegistration implements OnApplicationBootstrap {
  private readonly logger = new Logger(SelfRegistration.name);

  constructor(
    @Inject(SERVER_IDENTITY) private readonly identity: ServerIdentity,
    private readonly connections: ConnectionCommands,
    private readonly reservations: FingerprintReservations,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const definition = kindDefinition('meshery');
    const { organization_id, ...metadata } = this.identity;
    const fingerprint = fingerprintOf(organization_id, definition.kind, identityOf(definition, metadata));
    const meta = () => ({ command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system' as const, id: 'connection-registry' } });
    const { connection_id, reserved } = await this.reservations.reserve(fingerprint, meta());
    try {
      await this.connections.execute(
        connection_id,
        {
          type: 'RegisterConnection',
          data: {
            connection_id,
            organization_id,
            kind: definition.kind,
            type: definition.type,
            sub_type: definition.sub_type,
            name: 'this server',
            fingerprint,
            identity: identityOf(definition, metadata),
            metadata,
            credential_id: null,
            auto_connect: true,
          },
          metadata: meta(),
        },
        {},
        { isNew: reserved },
      );
    } catch (error) {
      if (!(error instanceof ReplyError && error.code === 'conflict')) throw error;
      // Known from an earlier start: bring it back unless a person decided otherwise.
      const { state } = await this.connections.load(connection_id);
      const current = state as Connection;
      if (current.status === 'disconnected' && current.disconnected_by === 'system') {
        await this.connections.execute(connection_id, { type: 'RequestTransition', data: { to: 'connected', reason: 'server started', auto_connect: true }, metadata: meta() });
      }
    }
    this.logger.log(`this server is connection ${connection_id}`);
  }
}
