import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { messageOf } from '../../lib/api';
import { CONNECTIONS_KEY, ENVIRONMENTS_KEY, WORKSPACES_KEY } from '../../queries';
import { navigate } from '../../router';

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
    // `gone`: the id of what the request deleted; its queries are forgotten before the others are read again (each would be a 404).
    mutationFn: async ({ run, go, gone }: { run: () => Promise<unknown>; what: string; go?: string; gone?: string }) => {
      await run();
      if (gone) client.removeQueries({ predicate: (query) => query.queryKey.includes(gone) });
      if (go) navigate(go);
    },
    onMutate: () => setFailure(null),
    onError: (error, { what }) => setFailure(`${what}: ${messageOf(error)}`),
    onSettled: refresh,
  });
  return {
    run: (what: string, run: () => Promise<unknown>, then: { go?: string; gone?: string } = {}) => mutation.mutateAsync({ run, what, ...then }).then(() => true, () => false),
    refresh,
    busy: mutation.isPending,
    failure,
    dismiss: () => setFailure(null),
  };
};
