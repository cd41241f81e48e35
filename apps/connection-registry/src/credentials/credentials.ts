import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ReplyError, type Caller, type CredentialEvent, type CredentialView } from '@clp/contracts';
import { credentialFormErrors, kindDefinition } from '@clp/connection-definitions';
import type { CredentialVault, Secret } from '@clp/credential-vault';
import { EVENT_STORE, ExpectedRevisionConflict, toEnvelopes, type EventStore } from '@clp/event-store';
import { validationFailed } from '@clp/messaging';
import type { TraceIds } from '../connections/connection-commands';
import { credentialViewOf } from './credential-view';

export const CREDENTIAL_VAULT = Symbol('CREDENTIAL_VAULT');

type Loaded = CredentialView & { deleted: boolean; revision: bigint };

/** Enough for every one of a few concurrent commands to be decided once on the revision it read. */
const ATTEMPTS = 10;

const credentialStream = (credentialId: string) => `credential-${credentialId}`;

const context = (caller: Caller, trace: TraceIds) => ({
  command_id: randomUUID(),
  now: new Date().toISOString(),
  actor: { type: 'user' as const, id: caller.user_id },
  ...trace,
});

export const kindMismatch = (field: string, credential: CredentialView, kind: string) =>
  validationFailed([{ field, reasons: [`is a ${kind} connection; the credential is for ${credential.kind}`] }]);

/**
 * Credentials: their metadata in the `credential-<id>` event stream (never relayed to the bus),
 * their secret only in the vault. The secret is written before the event that announces it,
 * and destroyed before the event that records the deletion: a failure in between leaves
 * nothing readable behind.
 */
@Injectable()
export class Credentials {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
  ) {}

  async load(credentialId: string): Promise<Loaded | undefined> {
    const recorded = await this.store.readStream(credentialStream(credentialId));
    let view: Loaded | undefined;
    for (const event of recorded as unknown as Array<CredentialEvent & { metadata: { occurred_at: string }; revision: bigint }>) {
      const at = event.metadata.occurred_at;
      if (event.type === 'CredentialCreated') view = { ...credentialViewOf(event.data, at, at), deleted: false, revision: event.revision };
      else if (view && event.type === 'CredentialUpdated') {
        view = { ...view, ...(event.data.name ? { name: event.data.name } : {}), ...(event.data.secret_fields ? { secret_fields: event.data.secret_fields } : {}), updated_at: at };
      } else if (view && event.type === 'CredentialDeleted') view = { ...view, deleted: true, updated_at: at };
      if (view) view.revision = event.revision;
    }
    return view;
  }

  /** The caller's live credential as loaded, with its revision, or not found. */
  private async live(caller: Caller, credentialId: string): Promise<Loaded> {
    const view = await this.load(credentialId);
    if (!view || view.deleted || view.organization_id !== caller.organization_id) throw new ReplyError('not_found', 'credential not found');
    return view;
  }

  /**
   * Decides on the revision it read and appends at that revision (as connections do): a command
   * that lost the race to another decides again on the newer state, where a deleted credential
   * is not found. `prepare` runs before each append (the vault write that precedes the event).
   */
  private async decide(
    caller: Caller,
    credentialId: string,
    decision: (current: Loaded) => { event: CredentialEvent; prepare: () => Promise<void> },
    trace: TraceIds,
  ): Promise<{ current: Loaded; now: string }> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.live(caller, credentialId);
      const { event, prepare } = decision(current);
      await prepare();
      const ctx = context(caller, trace);
      try {
        await this.store.appendToStream(credentialStream(credentialId), toEnvelopes([event], ctx), { expectedRevision: current.revision });
        return { current, now: ctx.now };
      } catch (error) {
        if (!(error instanceof ExpectedRevisionConflict)) throw error;
        if (attempt >= ATTEMPTS) throw new ReplyError('conflict', 'the credential changed while the command ran; read it and try again');
      }
    }
  }

  /** The caller's live credential, or not found (another organization's is not found either). */
  async visible(caller: Caller, credentialId: string): Promise<CredentialView> {
    const { deleted: _deleted, revision: _revision, ...shown } = await this.live(caller, credentialId);
    return shown;
  }

  /** A credential of the caller's organization for a connection of `kind`; another kind's is a 400 naming `field`. */
  async usableFor(caller: Caller, credentialId: string, kind: string, field = 'credential_id'): Promise<CredentialView> {
    const credential = await this.visible(caller, credentialId);
    if (credential.kind !== kind) throw kindMismatch(field, credential, kind);
    return credential;
  }

  async create(caller: Caller, request: { name: string; kind: string; secret: Secret }, trace: TraceIds = {}): Promise<CredentialView> {
    const errors = credentialFormErrors(kindDefinition(request.kind), request.secret);
    if (errors.length) throw validationFailed(errors);
    const credential_id = randomUUID();
    await this.vault.put(credential_id, request.secret);
    const ctx = context(caller, trace);
    const event: CredentialEvent = {
      type: 'CredentialCreated',
      data: {
        credential_id,
        organization_id: caller.organization_id,
        name: request.name,
        kind: request.kind,
        secret_fields: this.vault.fieldNames(request.secret),
        owner: caller.user_id,
      },
    };
    await this.store.appendToStream(credentialStream(credential_id), toEnvelopes([event], ctx), { expectedRevision: 'no_stream' });
    return credentialViewOf(event.data, ctx.now, ctx.now);
  }

  /**
   * Renames and/or rotates: every connection using the credential uses the new secret next.
   * Concurrent rotations each write the vault again when they decide again, so the secret kept
   * is the one whose event is last; one that finds the credential deleted meanwhile destroys the
   * secret it wrote, as the delete intended.
   */
  async update(caller: Caller, credentialId: string, request: { name?: string; secret?: Secret }, trace: TraceIds = {}): Promise<CredentialView> {
    const secret = request.secret;
    const secret_fields = secret ? this.vault.fieldNames(secret) : undefined;
    const rotate = async (kind: string) => {
      if (!secret) return;
      const errors = credentialFormErrors(kindDefinition(kind), secret);
      if (errors.length) throw validationFailed(errors);
      await this.vault.put(credentialId, secret);
    };
    try {
      const { current, now } = await this.decide(
        caller,
        credentialId,
        (current) => ({
          event: {
            type: 'CredentialUpdated',
            data: { credential_id: credentialId, organization_id: caller.organization_id, name: request.name, secret_fields, rotated: !!secret },
          },
          prepare: () => rotate(current.kind),
        }),
        trace,
      );
      const { deleted: _deleted, revision: _revision, ...shown } = current;
      return { ...shown, ...(request.name ? { name: request.name } : {}), ...(secret_fields ? { secret_fields } : {}), updated_at: now };
    } catch (error) {
      if (secret && error instanceof ReplyError && error.code === 'not_found' && (await this.load(credentialId))?.deleted) await this.vault.destroy(credentialId);
      throw error;
    }
  }

  /** Once: of concurrent deletes one records it, the others find the credential deleted (not found). */
  async delete(caller: Caller, credentialId: string, trace: TraceIds = {}): Promise<void> {
    const event: CredentialEvent = { type: 'CredentialDeleted', data: { credential_id: credentialId, organization_id: caller.organization_id } };
    await this.decide(caller, credentialId, () => ({ event, prepare: () => this.vault.destroy(credentialId) }), trace);
  }

  /** The secret a connectivity test authenticates with; never leaves the service. */
  async secretOf(credentialId: string | null | undefined): Promise<Secret | undefined> {
    return credentialId ? this.vault.get(credentialId) : undefined;
  }
}
