import { Alert, Box, Button, Chip, CircularProgress, Link, Stack, Typography } from '@mui/material';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { ConnectionView, EnvironmentView } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { DEFAULT_LIST, workspaceActions } from '../../lib/environments';
import { connectionPath, environmentPath } from '../../lib/routes';
import { useEnvironmentPage, useWorkspace, useWorkspaceConnections, useWorkspaceEnvironments } from '../../queries';
import { navigate } from '../../router';
import { useSession } from '../../session-context';
import { StatusChip } from '../StatusChip';
import { ConfirmDialog } from './ConfirmDialog';
import { Picker } from './ConnectionPicker';
import { DataTable, inApp } from './DataTable';
import { EnvironmentStatusChip } from './EnvironmentsPage';
import { FormDialog } from './FormDialog';
import { useChange } from './useChange';

/** One workspace: its fields, its environments (link, unlink) and the connections they make available. */
export const WorkspacePage = ({ id }: { id: string }) => {
  const workspace = useWorkspace(id);
  const environments = useWorkspaceEnvironments(id);
  const connections = useWorkspaceConnections(id);
  const { token, role } = useSession();
  const actions = workspaceActions(role);
  const [search, setSearch] = useState('');
  const candidates = useEnvironmentPage({ ...DEFAULT_LIST, search });
  const change = useChange();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const base = `/api/workspaces/${id}`;
  const linked = new Set((environments.data?.environments ?? []).map((environment) => environment.id));
  const name = workspace.data?.name ?? 'the workspace';

  const environmentColumns: ColumnDef<EnvironmentView>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: ({ row }) => (
        <Link href={environmentPath(row.original.id)} onClick={inApp(navigate, environmentPath(row.original.id))}>
          {row.original.name}
        </Link>
      ),
    },
    { id: 'status', header: 'Status', cell: ({ row }) => <EnvironmentStatusChip status={row.original.status} /> },
    { id: 'connections', header: 'Connections', cell: ({ row }) => row.original.connection_count },
    {
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) =>
        actions.edit ? (
          <Button
            size="small"
            disabled={change.busy}
            aria-label={`Unlink ${row.original.name}`}
            onClick={() => change.run(`Unlinking ${row.original.name}`, () => request(token, 'DELETE', `${base}/environments/${row.original.id}`))}
          >
            Unlink
          </Button>
        ) : null,
    },
  ];
  const connectionColumns: ColumnDef<ConnectionView>[] = [
    {
      id: 'name',
      header: 'Name',
      cell: ({ row }) => (
        <Link href={connectionPath(row.original.id)} onClick={inApp(navigate, connectionPath(row.original.id))}>
          {row.original.name}
        </Link>
      ),
    },
    { id: 'kind', header: 'Kind', cell: ({ row }) => row.original.kind },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusChip status={row.original.status} /> },
    {
      id: 'environments',
      header: 'Environments',
      cell: ({ row }) => (
        <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
          {row.original.environments.filter((environment) => linked.has(environment.id)).map((environment) => (
            <Chip key={environment.id} size="small" label={environment.name} />
          ))}
        </Stack>
      ),
    },
  ];

  return (
    <Stack spacing={2}>
      <Box>
        <Link href="/workspaces" onClick={inApp(navigate, '/workspaces')}>
          ← Workspaces
        </Link>
      </Box>
      {workspace.isPending && <CircularProgress aria-label="Loading the workspace" />}
      {workspace.isError && <Alert severity="error">The workspace could not be loaded: {messageOf(workspace.error)}</Alert>}
      {workspace.data && (
        <>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <Typography variant="h4" component="h1">
              {workspace.data.name}
            </Typography>
            <Box sx={{ flexGrow: 1 }} />
            {actions.edit && <Button onClick={() => setEditing(true)}>Edit</Button>}
            {actions.delete && (
              <Button color="error" disabled={change.busy} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </Stack>
          <Typography data-field="description">{workspace.data.description || 'No description.'}</Typography>
          {change.failure && (
            <Alert severity="error" onClose={change.dismiss} data-testid="action-error">
              {change.failure}
            </Alert>
          )}
          <Typography variant="h6" component="h2">
            Environments
          </Typography>
          {actions.edit && (
            <Picker
              label="Link an environment"
              action="Link"
              options={(candidates.data?.environments ?? []).map((environment) => ({
                id: environment.id,
                label: environment.name,
                detail: linked.has(environment.id) ? 'linked' : environment.status,
                disabled: linked.has(environment.id),
              }))}
              loading={candidates.isFetching}
              disabled={change.busy}
              onSearch={setSearch}
              onPick={(environmentId) => change.run('Linking the environment', () => request(token, 'POST', `${base}/environments/${environmentId}`))}
            />
          )}
          <DataTable
            label="Its environments"
            query={environments}
            rows={environments.data?.environments ?? []}
            total={environments.data?.total_count ?? 0}
            columns={environmentColumns}
            rowAttribute="data-environment"
            empty="No environments linked yet."
          />
          <Typography variant="h6" component="h2">
            Connections available
          </Typography>
          <DataTable
            label="Connections available"
            query={connections}
            rows={connections.data?.connections ?? []}
            total={connections.data?.total_count ?? 0}
            columns={connectionColumns}
            rowAttribute="data-connection"
            empty="No connections: its environments have none."
          />
          {editing && (
            <FormDialog
              title={`Edit ${workspace.data.name}`}
              submitLabel="Save"
              withTags={false}
              initial={{ name: workspace.data.name, description: workspace.data.description, tags: '' }}
              onClose={() => setEditing(false)}
              onSubmit={async (fields) => {
                await request(token, 'PUT', base, { name: fields.name.trim(), description: fields.description.trim() });
                await change.refresh();
              }}
            />
          )}
          {deleting && (
            <ConfirmDialog
              title={`Delete ${name}?`}
              text="Its environments and their connections stay. A deleted workspace cannot be recovered."
              action="Delete"
              onClose={() => setDeleting(false)}
              onConfirm={() => change.run(`Deleting ${name}`, () => request(token, 'DELETE', base), { go: '/workspaces', gone: id })}
            />
          )}
        </>
      )}
    </Stack>
  );
};
