import type { WorkspaceEvent } from '@clp/contracts';
import { deciderSpec } from '@clp/testing';
import { workspaceDecider, type WorkspaceCommand } from './workspace-decider';
import { ENV, meta, team, wsRef } from './environments.fixtures';

const { given, stateOf } = deciderSpec(workspaceDecider);

const created: WorkspaceEvent = { type: 'WorkspaceCreated', data: team };
const linked: WorkspaceEvent = { type: 'EnvironmentLinked', data: { ...wsRef, environment_id: ENV } };
const command = <T extends WorkspaceCommand['type']>(type: T, data: Extract<WorkspaceCommand, { type: T }>['data']) =>
  ({ type, data, metadata: meta() }) as WorkspaceCommand;

describe('workspace', () => {
  it('is created once', () => {
    given([]).when(command('CreateWorkspace', team)).then([created]);
    given([created]).when(command('CreateWorkspace', team)).thenThrows({ code: 'conflict' });
  });

  it('updates only what changed', () => {
    given([created]).when(command('UpdateWorkspace', { name: 'team', description: 'ops' })).then([
      { type: 'WorkspaceUpdated', data: { ...wsRef, changes: { description: 'ops' } } },
    ]);
    given([created]).when(command('UpdateWorkspace', { name: 'team', metadata: {} })).then([]);
    given([created]).when(command('UpdateWorkspace', { metadata: { team: 'sre' } })).then([
      { type: 'WorkspaceUpdated', data: { ...wsRef, changes: { metadata: { team: 'sre' } } } },
    ]);
  });

  it('links and unlinks environments, idempotently both ways', () => {
    given([created]).when(command('LinkEnvironment', { environment_id: ENV })).then([linked]);
    given([created, linked]).when(command('LinkEnvironment', { environment_id: ENV })).then([]);
    given([created, linked]).when(command('UnlinkEnvironment', { environment_id: ENV })).then([
      { type: 'EnvironmentUnlinked', data: { ...wsRef, environment_id: ENV } },
    ]);
    given([created]).when(command('UnlinkEnvironment', { environment_id: ENV })).then([]);
    expect(stateOf([created, linked])).toMatchObject({ environments: new Set([ENV]) });
  });

  it('is deleted once; then it is not found', () => {
    const deleted: WorkspaceEvent = { type: 'WorkspaceDeleted', data: wsRef };
    given([created, linked]).when(command('DeleteWorkspace', {})).then([deleted]);
    for (const type of ['DeleteWorkspace', 'UpdateWorkspace', 'LinkEnvironment', 'UnlinkEnvironment'] as const) {
      given([created, deleted]).when(command(type, { environment_id: ENV } as never)).thenThrows({ code: 'not_found' });
    }
  });
});
