import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { messageOf } from '../../lib/api';
import { CONNECTIONS_KEY, ENVIRONMENTS_KEY, WORKSPACES_KEY } from '../../queries';

/**
 * A write of the environment pages: afterwards every environment, workspace and connection query
 * is read again (an assignment changes a connection's environments, a link a workspace's
 * connections); a refused one leaves the API's message to show until dismissed.
 */
export const useChange = () => {
  const client = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => Promise.all([ENVIRONMENTS_KEY, WORKSPACES_KEY, CONNECTIONS_KEY].map((key) => client.invalidateQueries({ queryKey: [key] })));
  const mutation = useMutation({
    mutationFn: ({ run }: { run: () => Promise<unknown>; what: string }) => run(),
    onMutate: () => setFailure(null),
    onError: (error, { what }) => setFailure(`${what}: ${messageOf(error)}`),
    onSettled: refresh,
  });
  return {
    run: (what: string, run: () => Promise<unknown>) => mutation.mutateAsync({ run, what }).then(() => true, () => false),
    refresh,
    busy: mutation.isPending,
    failure,
    dismiss: () => setFailure(null),
  };
};
