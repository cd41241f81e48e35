import { Button, Menu, MenuItem } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectionView, Status } from '@clp/contracts';
import { request } from '../lib/api';
import { transitionLabel, transitionsFor } from '../lib/transitions';
import { CONNECTIONS_KEY, useDefinitions } from '../queries';
import { useSession } from '../session-context';

/**
 * The transitions a person may ask for from the connection's status (its kind's definition and
 * the role decide); none, no button. A refused or failed one is told by `onError` with the API's message.
 */
export const TransitionMenu = ({ connection, onError }: { connection: ConnectionView; onError: (message: string) => void }) => {
  const { token, role } = useSession();
  const definitions = useDefinitions();
  const client = useQueryClient();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const transition = useMutation({
    mutationFn: (status: Status) => request<ConnectionView>(token, 'PUT', `/api/integrations/connections/${connection.id}`, { status }),
    onError: (error) => onError(`${connection.name}: ${error.message}`),
    onSettled: () => client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] }),
  });
  const choices = transitionsFor(definitions.data?.get(connection.kind), connection.status, role);
  if (!choices.length) return null;
  const menuId = `transitions-${connection.id}`;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-label={`Change status of ${connection.name}`}
        disabled={transition.isPending}
        onClick={(event) => setAnchor(event.currentTarget)}
      >
        {transition.isPending ? 'Working…' : 'Status…'}
      </Button>
      <Menu id={menuId} anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {choices.map((to) => (
          <MenuItem
            key={to}
            data-transition={to}
            onClick={() => {
              setAnchor(null);
              transition.mutate(to);
            }}
          >
            {transitionLabel(to)} ({to})
          </MenuItem>
        ))}
      </Menu>
    </>
  );
};
