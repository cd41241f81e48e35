import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Link, List, ListItem, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Suspense, lazy, useState } from 'react';
import type { CredentialView } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { canManageCredentials, connectionsInUse } from '../../lib/credentials';
import { DEFAULT_LIST } from '../../lib/environments';
import { connectionPath } from '../../lib/routes';
import { CONNECTIONS_KEY, useCredentialPage, useCredentialUsers } from '../../queries';
import { navigate } from '../../router';
import { useSession } from '../../session-context';
import { DataTable, inApp, when } from '../environments/DataTable';

// The form brings react-jsonschema-form and its validator: loaded when first opened.
const CredentialDialog = lazy(() => import('./CredentialDialog'));

type Users = Map<string, { id: string; name: string }[]>;

const ConnectionLinks = ({ connections }: { connections: { id: string; name: string }[] }) => (
  <>
    {connections.map((connection, index) => (
      <span key={connection.id}>
        {index > 0 && ', '}
        <Link href={connectionPath(connection.id)} onClick={inApp(navigate, connectionPath(connection.id))}>
          {connection.name}
        </Link>
      </span>
    ))}
  </>
);

/** The organization's credentials: names, kinds and secret field names (never a secret), who uses each; admins create, rotate and delete. */
export const CredentialsPage = () => {
  const { role } = useSession();
  const client = useQueryClient();
  const [page, setPage] = useState({ page: 0, pageSize: DEFAULT_LIST.pageSize });
  const credentials = useCredentialPage(page.page, page.pageSize);
  const users = useCredentialUsers();
  const manage = canManageCredentials(role);
  const [dialog, setDialog] = useState<{ rotating?: CredentialView } | null>(null);
  const [deleting, setDeleting] = useState<CredentialView | null>(null);
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: ['credentials'] }), client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] })]);

  const columns: ColumnDef<CredentialView>[] = [
    { id: 'name', header: 'Name', cell: ({ row }) => row.original.name },
    { id: 'kind', header: 'Kind', cell: ({ row }) => row.original.kind },
    { id: 'secret_fields', header: 'Secret fields', cell: ({ row }) => row.original.secret_fields.join(', ') },
    {
      id: 'used_by',
      header: 'Used by',
      cell: ({ row }) => {
        if (users.isPending) return <CircularProgress size={16} aria-label="Loading who uses it" />;
        const using = users.data?.users.get(row.original.id) ?? [];
        return using.length ? <ConnectionLinks connections={using} /> : users.data ? 'no connection' : '—';
      },
    },
    { id: 'owner', header: 'Owner', cell: ({ row }) => row.original.owner },
    { id: 'updated_at', header: 'Updated', cell: ({ row }) => when(row.original.updated_at) },
    {
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) =>
        manage ? (
          <Stack direction="row" spacing={1}>
            <Button size="small" aria-label={`Rotate ${row.original.name}`} onClick={() => setDialog({ rotating: row.original })}>
              Rotate
            </Button>
            <Button size="small" color="error" aria-label={`Delete ${row.original.name}`} onClick={() => setDeleting(row.original)}>
              Delete
            </Button>
          </Stack>
        ) : null,
    },
  ];

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography variant="h4" component="h1">
          Credentials
        </Typography>
        {manage && (
          <Button variant="contained" onClick={() => setDialog({})}>
            Create credential
          </Button>
        )}
      </Stack>
      {users.isError && <Alert severity="warning">Which connections use them could not be read: {messageOf(users.error)}</Alert>}
      {users.data && !users.data.complete && <Alert severity="info">Only the first connections were read: a credential may be used by more than shown.</Alert>}
      <DataTable
        label="Credentials"
        query={credentials}
        rows={credentials.data?.credentials ?? []}
        total={credentials.data?.total_count ?? 0}
        columns={columns}
        rowAttribute="data-credential"
        empty={manage ? 'No credentials yet: create one, or register a connection with a new one.' : 'No credentials yet.'}
        paging={{ ...page, onPage: (next) => setPage({ ...page, page: next }), onPageSize: (pageSize) => setPage({ page: 0, pageSize }) }}
      />
      {dialog && (
        <Suspense fallback={<CircularProgress size={24} aria-label="Loading the credential form" />}>
          <CredentialDialog rotating={dialog.rotating} onDone={refresh} onClose={() => setDialog(null)} />
        </Suspense>
      )}
      {deleting && <DeleteDialog credential={deleting} users={users.data?.users} onDone={refresh} onClose={() => setDeleting(null)} />}
    </Stack>
  );
};

/**
 * Delete a credential: one in use is refused (409) naming its connections, shown here with the
 * offer to detach them and delete anyway (`force=true`, admins only, as deleting is).
 */
const DeleteDialog = ({ credential, users, onDone, onClose }: { credential: CredentialView; users: Users | undefined; onDone: () => Promise<unknown>; onClose: () => void }) => {
  const { token } = useSession();
  const [inUse, setInUse] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map((users?.get(credential.id) ?? []).map((connection) => [connection.id, connection.name]));
  const remove = async (force: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await request(token, 'DELETE', `/api/integrations/credentials/${credential.id}${force ? '?force=true' : ''}`);
      await onDone();
      onClose();
    } catch (failure) {
      setInUse(connectionsInUse(failure));
      setError(messageOf(failure));
      await onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="delete-credential-title" fullWidth maxWidth="sm">
      <DialogTitle id="delete-credential-title">Delete {credential.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>Its secret cannot be recovered.</DialogContentText>
        {error && (
          <Alert severity="error" data-testid="delete-error" sx={{ mt: 2 }}>
            {error}
            {inUse && inUse.length > 0 && (
              <List dense aria-label="Connections using it">
                {inUse.map((id) => (
                  <ListItem key={id} data-connection-id={id} disableGutters>
                    <Link href={connectionPath(id)} onClick={inApp(navigate, connectionPath(id))}>
                      {names.get(id) ?? id}
                    </Link>
                  </ListItem>
                ))}
              </List>
            )}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Cancel
        </Button>
        {inUse && inUse.length > 0 ? (
          <Button color="error" variant="contained" disabled={busy} onClick={() => remove(true)}>
            Detach them and delete
          </Button>
        ) : (
          <Button color="error" variant="contained" disabled={busy} onClick={() => remove(false)}>
            Delete
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
