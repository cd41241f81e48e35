import { Alert, Button, Chip, FormControlLabel, Link, Stack, Switch, TextField, Typography } from '@mui/material';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { EnvironmentView } from '@clp/contracts';
import { request } from '../../lib/api';
import { environmentActions, environmentBody, listToQuery, parseList, type ListState } from '../../lib/environments';
import { environmentPath } from '../../lib/routes';
import { useEnvironmentPage } from '../../queries';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session-context';
import { DataTable, inApp, when } from './DataTable';
import { FormDialog } from './FormDialog';
import { useChange } from './useChange';

const show = (state: ListState, replace = false) => {
  const query = listToQuery(state);
  navigate(query ? `/environments?${query}` : '/environments', replace);
};

export const EnvironmentStatusChip = ({ status }: { status: EnvironmentView['status'] }) => (
  <Chip size="small" label={status} color={status === 'active' ? 'success' : status === 'archived' ? 'warning' : 'default'} data-status={status} />
);

/** The organization's environments (seed: Meshery's Environments): searched and paged by the API; the deleted ones apart, to recover. */
export const EnvironmentsPage = () => {
  const { query } = useLocation();
  const state = parseList(query);
  const environments = useEnvironmentPage(state);
  const { token, role } = useSession();
  const change = useChange();
  const [creating, setCreating] = useState(false);
  const canCreate = environmentActions('active', role).edit;

  const columns = useMemo<ColumnDef<EnvironmentView>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        cell: ({ row }) =>
          row.original.status === 'deleted' ? (
            row.original.name
          ) : (
            <Link href={environmentPath(row.original.id)} onClick={inApp(navigate, environmentPath(row.original.id))}>
              {row.original.name}
            </Link>
          ),
      },
      { id: 'status', header: 'Status', cell: ({ row }) => <EnvironmentStatusChip status={row.original.status} /> },
      { id: 'description', header: 'Description', cell: ({ row }) => row.original.description || '—' },
      { id: 'connections', header: 'Connections', cell: ({ row }) => row.original.connection_count },
      { id: 'tags', header: 'Tags', cell: ({ row }) => row.original.tags.join(', ') || '—' },
      {
        id: 'updated_at',
        header: state.deleted ? 'Deleted' : 'Updated',
        cell: ({ row }) => when(row.original.deleted_at ?? row.original.updated_at),
      },
      {
        id: 'actions',
        header: 'Actions',
        cell: ({ row }) =>
          environmentActions(row.original.status, role).recover ? (
            <Button size="small" disabled={change.busy} onClick={() => change.run(`Recovering ${row.original.name}`, () => request(token, 'POST', `/api/environments/${row.original.id}/recover`))}>
              Recover
            </Button>
          ) : null,
      },
    ],
    [role, token, change, state.deleted],
  );

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography variant="h4" component="h1">
          Environments
        </Typography>
        {canCreate && (
          <Button variant="contained" onClick={() => setCreating(true)}>
            Create environment
          </Button>
        )}
      </Stack>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
        <TextField label="Search" size="small" value={state.search} onChange={(event) => show({ ...state, search: event.target.value, page: 0 }, true)} sx={{ minWidth: 220 }} />
        <FormControlLabel control={<Switch checked={state.deleted} onChange={(event) => show({ ...state, deleted: event.target.checked, page: 0 })} />} label="Deleted ones" />
      </Stack>
      {change.failure && (
        <Alert severity="error" onClose={change.dismiss} data-testid="action-error">
          {change.failure}
        </Alert>
      )}
      <DataTable
        label="Environments"
        query={environments}
        rows={environments.data?.environments ?? []}
        total={environments.data?.total_count ?? 0}
        columns={columns}
        rowAttribute="data-environment"
        empty={state.search ? 'No environment matches this search.' : state.deleted ? 'No deleted environment to recover.' : 'No environments yet.'}
        paging={{ page: state.page, pageSize: state.pageSize, onPage: (page) => show({ ...state, page }), onPageSize: (pageSize) => show({ ...state, pageSize, page: 0 }) }}
      />
      {creating && (
        <FormDialog
          title="Create environment"
          submitLabel="Create"
          withTags
          initial={{ name: '', description: '', tags: '' }}
          onClose={() => setCreating(false)}
          onSubmit={async (fields) => {
            const created = await request<EnvironmentView>(token, 'POST', '/api/environments', environmentBody(fields));
            await change.refresh();
            navigate(environmentPath(created.id));
          }}
        />
      )}
    </Stack>
  );
};
