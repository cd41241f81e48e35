import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Notification } from '@clp/contracts';
import { seqGate } from './lib/notifications';
import { CONNECTIONS_KEY, ENVIRONMENTS_KEY, WORKSPACES_KEY } from './queries';
import { useSession } from './session-context';

/** What the stream says to the pages: a notification (once per seq), or "read again, some may be missed". */
export type LiveEvent = { type: 'notification'; seq: number; notification: Notification } | { type: 'resync' };

// One stream for the app (useLiveUpdates, in the shell); the pages listen to it.
const listeners = new Set<(event: LiveEvent) => void>();

/** Listens to the app's one notification stream; returns the unsubscribe. */
export const onLive = (listener: (event: LiveEvent) => void): (() => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

const emit = (event: LiveEvent) => listeners.forEach((listener) => listener(event));

/** How long before a stream the browser gave up on (an HTTP error, not a dropped connection) is opened again. */
const REOPEN_MS = 3000;

/**
 * The notification stream (GET /api/system/events/subscribe): every notification goes to the
 * notification center, and each one refreshes the connection, environment and workspace queries
 * on screen (every change of theirs is a notification). EventSource cannot send headers, so the token goes as
 * `access_token` (docs/gateway.md, "Authentication"). A dropped connection is resumed by
 * EventSource itself with Last-Event-ID (the server sends `id:`), which replays what was missed;
 * the seq gate shows each once. A stream the browser closed (the gateway answered an error)
 * is opened again, and since a new EventSource sends no Last-Event-ID, the lists are read again.
 */
export const useLiveUpdates = (): void => {
  const { token } = useSession();
  const client = useQueryClient();
  useEffect(() => {
    const gate = seqGate();
    // Lists are read models, which catch up a moment after a write: the notification of the change
    // (which comes after it) is when to read them again, for connections, environments and
    // workspaces alike. An environment or workspace itself is read from its stream (current at
    // once), and one just deleted must not be asked for again: its page is not refreshed.
    const refreshConnections = () =>
      void client.invalidateQueries({
        predicate: ({ queryKey: [key, what] }) => key === CONNECTIONS_KEY || ((key === ENVIRONMENTS_KEY || key === WORKSPACES_KEY) && what !== 'one'),
      });
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const open = (first: boolean) => {
      source = new EventSource(`/api/system/events/subscribe?access_token=${encodeURIComponent(token)}`);
      let opened = false;
      source.onopen = () => {
        // After a dropped stream, what changed meanwhile is read again.
        refreshConnections();
        if (!first && !opened) emit({ type: 'resync' });
        opened = true;
      };
      source.onmessage = (message: MessageEvent<string>) => {
        const seq = Number(message.lastEventId);
        if (!gate(seq)) return;
        let notification: Notification;
        try {
          notification = JSON.parse(message.data) as Notification;
        } catch {
          return;
        }
        emit({ type: 'notification', seq, notification });
        refreshConnections();
      };
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) return;
        reopen = setTimeout(() => open(false), REOPEN_MS);
      };
    };
    open(true);
    return () => {
      clearTimeout(reopen);
      source?.close();
    };
  }, [token, client]);
};
