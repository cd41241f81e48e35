import { Alert, Box, Button, CircularProgress, Link, Paper, Stack, Typography } from '@mui/material';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { ConnectionView, EnvironmentView } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { DEFAULT_LIST, environmentActions, environmentBody, environmentForm } from '../../lib/environments';
import { connectionPath } from '../../lib/routes';
import { useEnvironment, useEnvironmentConnections } from '../../queries';
import { navigate } from '../../router';
import { useSession } from '../../session-context';
import { StatusChip } from '../StatusChip';
import { ConfirmDialog } from './ConfirmDialog';
import { Picker } from './ConnectionPicker';
import { DataTable, inApp, when } from './DataTable';
import { EnvironmentStatusChip } from './EnvironmentsPage';
import { FormDialog } from './FormDialog';
import { useChange } from './useChange';

/** One environment: its fields, archive/reactivate, delete, and its connections (assign from the others, remove). */
export const EnvironmentPage = ({ id }: { id: string }) => {
  const environment = useEnvironment(id);
  const { token, role } = useSession();
  const change = useChange();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [page, setPage] = useState({ page: 0, pageSize: DEFAULT_LIST.pageSize });
  const [search, setSearch] = useState('');
  const actions = environmentActions(environment.data?.status ?? 'deleted', role);
  const connections = useEnvironmentConnections(id, true, { ...DEFAULT_LIST, ...page });
  const others = useEnvironmentConnections(id, false, { ...DEFAULT_LIST, search, pageSize: 25 }, actions.assign);
  const base = `/api/environments/${id}`;
  const name = environment.data?.name ?? 'the environment';

  const columns: ColumnDef<ConnectionView>[] = [
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
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) =>
        actions.assign ? (
          <Button
            size="small"
            disabled={change.busy}
            aria-label={`Remove ${row.original.name}`}
            onClick={() => change.run(`Removing ${row.original.name}`, () => request(token, 'DELETE', `${base}/connections/${row.original.id}`))}
          >
            Remove
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack spacing={2}>
      <Box>
        <Link href="/environments" onClick={inApp(navigate, '/environments')}>
          ← Environments
        </Link>
      </Box>
      {environment.isPending && <CircularProgress aria-label="Loading the environment" />}
      {environment.isError && <Alert severity="error">The environment could not be loaded: {messageOf(environment.error)}</Alert>}
      {environment.data && (
        <>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <Typography variant="h4" component="h1">
              {environment.data.name}
            </Typography>
            <EnvironmentStatusChip status={environment.data.status} />
            <Box sx={{ flexGrow: 1 }} />
            {actions.edit && <Button onClick={() => setEditing(true)}>Edit</Button>}
            {actions.archive && (
              <Button disabled={change.busy} onClick={() => change.run(`Archiving ${name}`, () => request(token, 'PUT', base, { status: 'archived' }))}>
                Archive
              </Button>
            )}
            {actions.reactivate && (
              <Button disabled={change.busy} onClick={() => change.run(`Reactivating ${name}`, () => request(token, 'PUT', base, { status: 'active' }))}>
                Reactivate
              </Button>
            )}
            {actions.delete && (
              <Button color="error" disabled={change.busy} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </Stack>
          {change.failure && (
            <Alert severity="error" onClose={change.dismiss} data-testid="action-error">
              {change.failure}
            </Alert>
          )}
          <Details environment={environment.data} />
          <Typography variant="h6" component="h2">
            Connections
          </Typography>
          {environment.data.status === 'archived' && <Alert severity="info">Archived: its connections stay as they are until it is reactivated.</Alert>}
          {actions.assign && (
            <Picker
              label="Add a connection"
              action="Assign"
              options={(others.data?.connections ?? []).map((connection) => ({ id: connection.id, label: connection.name, detail: `${connection.kind}, ${connection.status}` }))}
              loading={others.isFetching}
              disabled={change.busy}
              onSearch={setSearch}
              onPick={(connectionId) => change.run('Assigning the connection', () => request(token, 'POST', `${base}/connections/${connectionId}`))}
            />
          )}
          {others.isError && <Alert severity="warning">The other connections could not be loaded: {messageOf(others.error)}</Alert>}
          <DataTable
            label="Its connections"
            query={connections}
            rows={connections.data?.connections ?? []}
            total={connections.data?.total_count ?? 0}
            columns={columns}
            rowAttribute="data-connection"
            empty={actions.assign ? 'No connections yet: add one above.' : 'No connections.'}
            paging={{ ...page, onPage: (next) => setPage({ ...page, page: next }), onPageSize: (pageSize) => setPage({ page: 0, pageSize }) }}
          />
          {deleting && (
            <ConfirmDialog
              title={`Delete ${name}?`}
              text="Its connections stay, and it leaves its workspaces. An admin can recover it from the deleted ones for a while."
              action="Delete"
              onClose={() => setDeleting(false)}
              onConfirm={() => change.run(`Deleting ${name}`, () => request(token, 'DELETE', base), { go: '/environments?deleted=true', gone: id })}
            />
          )}
          {editing && (
            <FormDialog
              title={`Edit ${environment.data.name}`}
              submitLabel="Save"
              withTags
              initial={environmentForm(environment.data)}
              onClose={() => setEditing(false)}
              onSubmit={async (fields) => {
                await request(token, 'PUT', base, environmentBody(fields));
                await change.refresh();
              }}
            />
          )}
        </>
      )}
    </Stack>
  );
};

const Details = ({ environment }: { environment: EnvironmentView }) => (
  <Paper sx={{ p: 2 }} component="section" aria-label="Details">
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0, '& dd': { m: 0 } }}>
      <dt>Description</dt>
      <dd data-field="description">{environment.description || '—'}</dd>
      <dt>Tags</dt>
      <dd data-field="tags">{environment.tags.join(', ') || '—'}</dd>
      <dt>Connections</dt>
      <dd data-field="connection_count">{environment.connection_count}</dd>
      <dt>Owner</dt>
      <dd>{environment.owner}</dd>
      <dt>Created</dt>
      <dd>{when(environment.created_at)}</dd>
      <dt>Updated</dt>
      <dd>{when(environment.updated_at)}</dd>
    </Box>
  </Paper>
);
