import { Alert, Button, Chip, CircularProgress, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImportKubeconfigReply } from '@clp/contracts';
import { messageOf, upload } from '../../lib/api';
import { contextRows, contextSummary, type ContextOutcome } from '../../lib/registration';
import { CONNECTIONS_KEY } from '../../queries';
import { useSession } from '../../session-context';
import { StatusChip } from '../StatusChip';

const OUTCOME_COLOR: Record<ContextOutcome, 'success' | 'primary' | 'default' | 'error'> = { connected: 'success', registered: 'primary', ignored: 'default', errored: 'error' };

/**
 * A kubeconfig upload (`POST /api/system/kubernetes`, the multipart field `k8sfile`): every
 * context becomes a Kubernetes connection; the answer says per context whether it was connected,
 * registered (and why not connected), ignored, or failed (and why).
 */
export const KubeconfigStep = ({ onBack }: { onBack: () => void }) => {
  const { token } = useSession();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: (chosen: File) => upload<ImportKubeconfigReply>(token, '/api/system/kubernetes', 'k8sfile', chosen, chosen.name),
    onSettled: () => client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] }),
  });
  const rows = send.data ? contextRows(send.data) : [];

  return (
    <Stack spacing={2}>
      <Typography variant="subtitle1" component="h2">
        Upload a kubeconfig
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Each context becomes a Kubernetes connection with its credentials, connected when its cluster answers. Embed the credentials
        (<code>kubectl config view --flatten --raw</code>): the server reads no file and runs no command named in it.
      </Typography>
      <label>
        <Typography component="span" variant="body2" sx={{ mr: 1 }}>
          Kubeconfig file
        </Typography>
        <input
          type="file"
          aria-label="Kubeconfig file"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            send.reset();
          }}
        />
      </label>
      <Stack direction="row" spacing={1}>
        <Button onClick={onBack} disabled={send.isPending}>
          Back
        </Button>
        <Button variant="contained" disabled={!file || send.isPending} onClick={() => file && send.mutate(file)}>
          {send.isPending ? 'Uploading…' : 'Upload'}
        </Button>
      </Stack>
      <div aria-live="polite">
        {send.isPending && (
          <Typography role="status">
            <CircularProgress size={16} sx={{ mr: 1 }} />
            Importing the contexts and testing each cluster…
          </Typography>
        )}
        {send.isError && (
          <Alert severity="error" data-testid="kubeconfig-error">
            The kubeconfig was refused: {messageOf(send.error)}
          </Alert>
        )}
        {send.data && (
          <Alert severity={rows.some((row) => row.outcome === 'errored') ? 'warning' : 'success'} data-testid="kubeconfig-summary">
            {rows.length} contexts: {send.data.connected.length} connected, {send.data.registered.length} registered, {send.data.ignored.length} ignored,{' '}
            {send.data.errored.length} failed.
          </Alert>
        )}
      </div>
      {rows.length > 0 && (
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Kubeconfig contexts">
            <TableHead>
              <TableRow>
                <TableCell>Context</TableCell>
                <TableCell>Cluster</TableCell>
                <TableCell>User</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>What happened</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.context} data-context={row.context}>
                  <TableCell>{row.context}</TableCell>
                  <TableCell>{row.cluster}</TableCell>
                  <TableCell>{row.user ?? '—'}</TableCell>
                  <TableCell data-column="outcome">
                    <Chip size="small" label={row.outcome} color={OUTCOME_COLOR[row.outcome]} variant="outlined" />
                  </TableCell>
                  <TableCell>{row.status ? <StatusChip status={row.status} /> : '—'}</TableCell>
                  <TableCell data-column="summary">{contextSummary(row)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Stack>
  );
};
