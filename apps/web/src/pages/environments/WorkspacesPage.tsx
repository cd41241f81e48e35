import { Alert, Button, Link, Stack, TextField, Typography } from '@mui/material';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { WorkspaceView } from '@clp/contracts';
import { request } from '../../lib/api';
import { listToQuery, parseList, workspaceActions, type ListState } from '../../lib/environments';
import { workspacePath } from '../../lib/routes';
import { useWorkspacePage } from '../../queries';
import { navigate, useLocation } from '../../router';
import { useSession } from '../../session-context';
import { DataTable, inApp, when } from './DataTable';
import { FormDialog } from './FormDialog';
import { useChange } from './useChange';

const show = (state: ListState, replace = false) => {
  const query = listToQuery({ ...state, deleted: false });
  navigate(query ? `/workspaces?${query}` : '/workspaces', replace);
};

const columns: ColumnDef<WorkspaceView>[] = [
  {
    id: 'name',
    header: 'Name',
    cell: ({ row }) => (
      <Link href={workspacePath(row.original.id)} onClick={inApp(navigate, workspacePath(row.original.id))}>
        {row.original.name}
      </Link>
    ),
  },
  { id: 'description', header: 'Description', cell: ({ row }) => row.original.description || '—' },
  { id: 'environments', header: 'Environments', cell: ({ row }) => row.original.environment_count },
  { id: 'owner', header: 'Owner', cell: ({ row }) => row.original.owner },
  { id: 'updated_at', header: 'Updated', cell: ({ row }) => when(row.original.updated_at) },
];

/** The organization's workspaces: environments grouped for people, searched and paged by the API. */
export const WorkspacesPage = () => {
  const { query } = useLocation();
  const state = parseList(query);
  const workspaces = useWorkspacePage(state);
  const { token, role } = useSession();
  const change = useChange();
  const [creating, setCreating] = useState(false);
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography variant="h4" component="h1">
          Workspaces
        </Typography>
        {workspaceActions(role).edit && (
          <Button variant="contained" onClick={() => setCreating(true)}>
            Create workspace
          </Button>
        )}
      </Stack>
      <TextField label="Search" size="small" value={state.search} onChange={(event) => show({ ...state, search: event.target.value, page: 0 }, true)} sx={{ maxWidth: 320 }} />
      {change.failure && <Alert severity="error">{change.failure}</Alert>}
      <DataTable
        label="Workspaces"
        query={workspaces}
        rows={workspaces.data?.workspaces ?? []}
        total={workspaces.data?.total_count ?? 0}
        columns={columns}
        rowAttribute="data-workspace"
        empty={state.search ? 'No workspace matches this search.' : 'No workspaces yet.'}
        paging={{ page: state.page, pageSize: state.pageSize, onPage: (page) => show({ ...state, page }), onPageSize: (pageSize) => show({ ...state, pageSize, page: 0 }) }}
      />
      {creating && (
        <FormDialog
          title="Create workspace"
          submitLabel="Create"
          withTags={false}
          initial={{ name: '', description: '', tags: '' }}
          onClose={() => setCreating(false)}
          onSubmit={async (fields) => {
            const created = await request<WorkspaceView>(token, 'POST', '/api/workspaces', { name: fields.name.trim(), description: fields.description.trim() });
            await change.refresh();
            navigate(workspacePath(created.id));
          }}
        />
      )}
    </Stack>
  );
};
