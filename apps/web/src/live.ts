import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { CONNECTIONS_KEY } from './queries';
import { useSession } from './session-context';

/**
 * The notification stream (GET /api/system/events/subscribe) as the signal that something
 * changed: a connection's status change is a notification, and each one refreshes the
 * connection queries on screen. EventSource cannot send headers, so the token goes as
 * `access_token` (docs/gateway.md, "Authentication"); it reconnects by itself, with Last-Event-ID.
 */
export const useLiveUpdates = (): void => {
  const { token } = useSession();
  const client = useQueryClient();
  useEffect(() => {
    const source = new EventSource(`/api/system/events/subscribe?access_token=${encodeURIComponent(token)}`);
    source.onmessage = () => void client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] });
    // After a dropped stream, what changed meanwhile is read again.
    source.onopen = () => void client.invalidateQueries({ queryKey: [CONNECTIONS_KEY] });
    return () => source.close();
  }, [token, client]);
};
