import type { EnvironmentEvent } from '@clp/contracts';
import { deciderSpec } from '@clp/testing';
import { environmentDecider, type EnvironmentCommand } from './environment-decider';
import { CONN, meta, NOW, production, ref, system } from './environments.fixtures';

const { given, stateOf } = deciderSpec(environmentDecider);

const created: EnvironmentEvent = { type: 'EnvironmentCreated', data: production };
const assigned: EnvironmentEvent = { type: 'ConnectionAssigned', data: { ...ref, connection_id: CONN } };
const archived: EnvironmentEvent = { type: 'EnvironmentArchived', data: ref };
const deleted: EnvironmentEvent = { type: 'EnvironmentDeleted', data: { ...ref, deleted_at: NOW } };

const create: EnvironmentCommand = { type: 'CreateEnvironment', data: production, metadata: meta() };
const update = (data: Extract<EnvironmentCommand, { type: 'UpdateEnvironment' }>['data']): EnvironmentCommand => ({ type: 'UpdateEnvironment', data, metadata: meta() });
const assign: EnvironmentCommand = { type: 'AssignConnection', data: { connection_id: CONN }, metadata: meta() };
const remove: EnvironmentCommand = { type: 'UnassignConnection', data: { connection_id: CONN, reason: 'removed' }, metadata: meta() };
const connectionDeleted: EnvironmentCommand = { type: 'UnassignConnection', data: { connection_id: CONN, reason: 'connection_deleted' }, metadata: system };
const remove_: EnvironmentCommand = { type: 'DeleteEnvironment', data: {}, metadata: meta() };

describe('environment: create, update, archive, delete', () => {
  it('creates an active environment', () => {
    given([]).when(create).then([created]);
    expect(stateOf([created])).toMatchObject({ status: 'active', name: 'production', connections: new Set() });
  });

  it('refuses to create it twice', () => {
    given([created]).when(create).thenThrows({ code: 'conflict' });
  });

  it('updates only what changed', () => {
    given([created])
      .when(update({ name: 'prod', description: 'the live clusters', tags: ['prod'], metadata: { region: 'us' } }))
      .then([{ type: 'EnvironmentUpdated', data: { ...ref, changes: { name: 'prod', metadata: { region: 'us' } } } }]);
    given([created]).when(update({ name: 'production', tags: ['prod'] })).then([]);
  });

  it('archives and restores through its status, once', () => {
    given([created]).when(update({ status: 'archived' })).then([archived]);
    given([created, archived]).when(update({ status: 'archived' })).then([]);
    given([created, archived]).when(update({ status: 'active', description: 'x' })).then([
      { type: 'EnvironmentUpdated', data: { ...ref, changes: { description: 'x' } } },
      { type: 'EnvironmentRestored', data: ref },
    ]);
    expect(stateOf([created, archived]).status).toBe('archived');
  });

  it('deletes it; a deleted environment is not found for every command', () => {
    given([created, assigned]).when(remove_).then([deleted]);
    for (const command of [remove_, update({ name: 'x' }), assign, remove]) given([created, deleted]).when(command).thenThrows({ code: 'not_found' });
    given([]).when(update({ name: 'x' })).thenThrows({ code: 'not_found' });
  });

  const DAY = 86_400_000;
  const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
  const recover = (now: string): EnvironmentCommand => ({ type: 'RecoverEnvironment', data: { retention_ms: DAY }, metadata: meta(now) });
  const purge = (now: string): EnvironmentCommand => ({ type: 'PurgeEnvironment', data: { retention_ms: DAY }, metadata: meta(now) });
  const recovered: EnvironmentEvent = { type: 'EnvironmentRecovered', data: ref };
  const purged: EnvironmentEvent = { type: 'EnvironmentPurged', data: ref };

  it('a deletion is soft: recovered within the retention, active and without connections', () => {
    expect(stateOf([created, assigned, deleted])).toMatchObject({ status: 'deleted', deleted_at: NOW, name: 'production' });
    given([created, assigned, deleted]).when(recover(at(DAY - 1))).then([recovered]);
    expect(stateOf([created, assigned, archived, deleted, recovered])).toMatchObject({ status: 'active', name: 'production', connections: new Set() });
    given([created, deleted]).when(recover(at(DAY))).thenThrows({ code: 'not_found' });
    given([created]).when(recover(NOW)).thenThrows({ code: 'not_found' });
  });

  it('is purged once the retention is over, once; then nothing finds it', () => {
    given([created, deleted]).when(purge(at(DAY - 1))).then([]);
    given([created, deleted]).when(purge(at(DAY))).then([purged]);
    given([created, deleted, purged]).when(purge(at(2 * DAY))).then([]);
    given([created]).when(purge(at(2 * DAY))).then([]);
    for (const command of [recover(NOW), remove_, update({ name: 'x' })]) given([created, deleted, purged]).when(command).thenThrows({ code: 'not_found' });
    // A deletion stored before soft deletion (no deleted_at) was final.
    expect(stateOf([created, { type: 'EnvironmentDeleted', data: ref }]).status).toBe('purged');
  });
});

describe('environment: connections', () => {
  it('assigns a connection, idempotently', () => {
    given([created]).when(assign).then([assigned]);
    given([created, assigned]).when(assign).then([]);
    expect(stateOf([created, assigned])).toMatchObject({ connections: new Set([CONN]) });
  });

  it('removes a connection, idempotently', () => {
    given([created, assigned]).when(remove).then([{ type: 'ConnectionUnassigned', data: { ...ref, connection_id: CONN, reason: 'removed' } }]);
    given([created]).when(remove).then([]);
  });

  it('an archived environment keeps its connections, except a deleted one', () => {
    given([created, archived]).when(assign).thenThrows({ code: 'conflict', details: { status: 'archived' } });
    given([created, assigned, archived]).when(remove).thenThrows({ code: 'conflict' });
    given([created, assigned, archived])
      .when(connectionDeleted)
      .then([{ type: 'ConnectionUnassigned', data: { ...ref, connection_id: CONN, reason: 'connection_deleted' } }]);
  });

  it("the reaction to a deleted connection is a no-op where there is nothing to do", () => {
    given([created]).when(connectionDeleted).then([]);
    given([created, assigned, deleted]).when(connectionDeleted).then([]);
    given([]).when(connectionDeleted).then([]);
  });
});
