import { Alert, Box, Button, Checkbox, CircularProgress, FormControlLabel, FormGroup, Stack, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectionView } from '@clp/contracts';
import { messageOf, request } from '../../lib/api';
import { CONNECTIONS_KEY, useEnvironments } from '../../queries';
import { useSession } from '../../session-context';
import { StatusChip } from '../StatusChip';

type Outcome = { environment: string; error?: string };

/**
 * After Register: the organization's environments to assign the new connection to, each through
 * `POST /api/environments/{id}/connections/{connectionId}`. One refused assignment does not undo
 * the others; each says what happened.
 */
export const EnvironmentsStep = ({ connection, warning, onDone }: { connection: ConnectionView; warning?: string; onDone: (connection: ConnectionView) => void }) => {
  const { token } = useSession();
  const client = useQueryClient();
  const environments = useEnvironments();
  const [chosen, setChosen] = useState<string[]>([]);
  const assign = useMutation({
    mutationFn: async (ids: string[]) => {
      const outcomes: Outcome[] = [];
      for (const id of ids) {
        const name = environments.data?.environments.find((environment) => environment.id === id)?.name ?? id;
        try {
          await request(token, 'POST', `/api/environments/${id}/connections/${connection.id}`);
          outcomes.push({ environment: name });
        } catch (error) {
          outcomes.push({ environment: name, error: messageOf(error) });
        }
      }
      return { outcomes, connection: await request<ConnectionView>(token, 'GET', `/api/integrations/connections/${connection.id}`) };
    },
    onSuccess: ({ outcomes, connection: updated }) => {
      if (outcomes.every((outcome) => !outcome.error)) onDone(updated);
    },
    onSettled: () => client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] }),
  });
  const failed = assign.data?.outcomes.filter((outcome) => outcome.error) ?? [];
  const toggle = (id: string) => setChosen((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));

  return (
    <Stack spacing={2}>
      <Alert severity="success" data-testid="registered">
        <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center' }}>
          Registered {connection.name}: <StatusChip status={connection.status} />
        </Box>
      </Alert>
      {warning && (
        <Alert severity="warning" data-testid="connect-warning">
          {warning}
        </Alert>
      )}
      <Typography id="environments-heading" variant="subtitle1" component="h2">
        Assign to environments
      </Typography>
      {environments.isPending && <CircularProgress size={24} aria-label="Loading environments" />}
      {environments.isError && (
        <Alert severity="error" action={<Button onClick={() => environments.refetch()}>Retry</Button>}>
          The environments could not be loaded: {messageOf(environments.error)}
        </Alert>
      )}
      {environments.data?.environments.length === 0 && <Typography color="text.secondary">No environments in this organization yet.</Typography>}
      {environments.data && environments.data.environments.length > 0 && (
        <FormGroup aria-labelledby="environments-heading">
          {environments.data.environments.map((environment) => (
            <FormControlLabel
              key={environment.id}
              control={<Checkbox checked={chosen.includes(environment.id)} onChange={() => toggle(environment.id)} disabled={environment.status !== 'active' || assign.isPending} />}
              label={environment.status === 'active' ? environment.name : `${environment.name} (${environment.status})`}
            />
          ))}
        </FormGroup>
      )}
      {assign.isError && <Alert severity="error">Assigning failed: {messageOf(assign.error)}</Alert>}
      {failed.length > 0 && (
        <Alert severity="error" data-testid="assign-error">
          {failed.map((outcome) => `${outcome.environment}: ${outcome.error}`).join('; ')}
        </Alert>
      )}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={chosen.length === 0 || assign.isPending} onClick={() => assign.mutate(chosen)}>
          {assign.isPending ? 'Assigning…' : 'Assign'}
        </Button>
        <Button disabled={assign.isPending} onClick={() => onDone(assign.data?.connection ?? connection)}>
          {failed.length > 0 ? 'Finish anyway' : 'Skip'}
        </Button>
      </Stack>
    </Stack>
  );
};
