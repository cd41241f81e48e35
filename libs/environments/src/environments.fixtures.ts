import type { EnvironmentDescriptor, WorkspaceDescriptor } from '@clp/contracts';
import type { CommandMetadata } from './command';

// Shared by this library's specs: one environment and one workspace in a known organization.
export const ORG = 'org-1';
export const ENV = '7d3c1f2a-4b5e-4c6d-8e9f-0a1b2c3d4e5f';
export const OTHER_ENV = '8e4d2a3b-5c6f-4d7e-9fa0-1b2c3d4e5f60';
export const WS = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const CONN = '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b';

export const NOW = '2026-11-21T10:00:00.000Z';
export const meta = (now = NOW, actor: CommandMetadata['actor'] = { type: 'user', id: 'alice' }): CommandMetadata => ({
  command_id: 'c0ffee00-0000-4000-8000-000000000002',
  now,
  actor,
});
export const system = meta(NOW, { type: 'system', id: 'connection-deleted' });

export const production: EnvironmentDescriptor = {
  environment_id: ENV,
  organization_id: ORG,
  name: 'production',
  description: 'the live clusters',
  owner: 'alice',
  tags: ['prod'],
  metadata: { region: 'eu' },
};

export const team: WorkspaceDescriptor = { workspace_id: WS, organization_id: ORG, name: 'team', description: '', owner: 'alice', metadata: {} };

export const ref = { environment_id: ENV, organization_id: ORG };
export const wsRef = { workspace_id: WS, organization_id: ORG };
