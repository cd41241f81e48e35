import { Alert, Box, Button, Chip, CircularProgress, Link, Paper, Snackbar, Stack, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import type { ConnectionView } from '@clp/contracts';
import { messageOf } from '../lib/api';
import { probeSummary, timelineOf } from '../lib/history';
import { useConnection, useCredential, useHistory } from '../queries';
import { navigate } from '../router';
import { StatusChip } from './StatusChip';
import { TransitionMenu } from './TransitionMenu';

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Paper component="section" aria-label={title} sx={{ p: 2 }}>
    <Typography variant="h6" component="h2" gutterBottom>
      {title}
    </Typography>
    {children}
  </Paper>
);

const when = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;

/** One connection: metadata, its credential's field names, its environments and its lifecycle (issue 14, item 3). */
export const ConnectionPage = ({ id }: { id: string }) => {
  const connection = useConnection(id);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Stack spacing={2}>
      <Box>
        <Link
          href="/"
          onClick={(event) => {
            event.preventDefault();
            if (window.history.length > 1) window.history.back();
            else navigate('/');
          }}
        >
          ← Connections
        </Link>
      </Box>
      {connection.isPending && <CircularProgress aria-label="Loading the connection" />}
      {connection.isError && <Alert severity="error">The connection could not be loaded: {messageOf(connection.error)}</Alert>}
      {connection.data && (
        <>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="h4" component="h1">
              {connection.data.name}
            </Typography>
            <StatusChip status={connection.data.status} />
            <TransitionMenu connection={connection.data} onError={setFailure} />
          </Stack>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
            <Details connection={connection.data} />
            <Stack spacing={2}>
              <Credential id={connection.data.credential_id} />
              <Section title="Environments">
                {connection.data.environments.length ? (
                  <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
                    {connection.data.environments.map((environment) => (
                      <Chip key={environment.id} label={environment.name} />
                    ))}
                  </Stack>
                ) : (
                  <Typography color="text.secondary">Not assigned to any environment.</Typography>
                )}
              </Section>
            </Stack>
          </Box>
          <History id={id} />
        </>
      )}
      <Snackbar open={failure !== null} onClose={() => setFailure(null)}>
        <Alert severity="error" onClose={() => setFailure(null)} role="alert" data-testid="action-error">
          {failure}
        </Alert>
      </Snackbar>
    </Stack>
  );
};

const Details = ({ connection }: { connection: ConnectionView }) => {
  const rows: [string, React.ReactNode][] = [
    ['Kind', connection.kind],
    ['Type', `${connection.type} / ${connection.sub_type}`],
    ['Registered by', connection.user_id ?? 'the system (discovered)'],
    ['Created', when(connection.created_at)],
    ['Updated', when(connection.updated_at)],
    ['Tags', connection.tags.join(', ') || '—'],
    ...Object.entries(connection.metadata).map(([key, value]): [string, React.ReactNode] => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  ];
  return (
    <Section title="Metadata">
      <Table size="small">
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" sx={{ fontWeight: 600, width: '35%' }}>
                {label}
              </TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
};

/** The credential's name and the names of its secret fields: the API never sends a value. */
const Credential = ({ id }: { id: string | null }) => {
  const credential = useCredential(id);
  return (
    <Section title="Credential">
      {id === null && <Typography color="text.secondary">No credential.</Typography>}
      {id !== null && credential.isPending && <CircularProgress size={20} aria-label="Loading the credential" />}
      {credential.isError && <Alert severity="error">{messageOf(credential.error)}</Alert>}
      {credential.data && (
        <>
          <Typography>{credential.data.name}</Typography>
          <Typography variant="body2" color="text.secondary">
            Secret fields: {credential.data.secret_fields.join(', ') || 'none'}
          </Typography>
        </>
      )}
    </Section>
  );
};

const History = ({ id }: { id: string }) => {
  const history = useHistory(id);
  const items = timelineOf(history.data?.events ?? []);
  return (
    <Section title="Lifecycle history">
      {history.isPending && <CircularProgress size={20} aria-label="Loading the history" />}
      {history.isError && (
        <Alert severity="error" action={<Button onClick={() => history.refetch()}>Retry</Button>}>
          {messageOf(history.error)}
        </Alert>
      )}
      {history.isSuccess && items.length === 0 && <Typography color="text.secondary">No events yet.</Typography>}
      <Box component="ol" aria-label="Timeline" sx={{ listStyle: 'none', m: 0, p: 0, borderLeft: 2, borderColor: 'divider' }}>
        {items.map((item) => (
          <Box component="li" key={item.revision} data-testid="timeline-item" sx={{ pl: 2, pb: 2, position: 'relative' }}>
            <Typography variant="subtitle2" component="div">
              {item.what}
              {item.from && item.to ? `: ${item.from} → ${item.to}` : item.to ? `: ${item.to}` : ''}
            </Typography>
            <Typography variant="body2" color="text.secondary" component="div">
              {when(item.when)} · {item.who}
              {item.cause ? ` · cause ${item.cause}` : ''}
            </Typography>
            {item.reason && <Typography variant="body2">{item.reason}</Typography>}
            {item.probe && (
              <Typography variant="body2" color={item.probe.ok ? 'success.main' : 'error.main'}>
                Probe {probeSummary(item.probe)}
              </Typography>
            )}
          </Box>
        ))}
      </Box>
    </Section>
  );
};
