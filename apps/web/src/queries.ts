import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ConnectionDefinition, ConnectionView, CredentialView, EnvironmentView, HistoryEntry, Status, WorkspaceView } from '@clp/contracts';
import { request } from './lib/api';
import { usersByCredential } from './lib/credentials';
import { listApiQuery, type ListState } from './lib/environments';
import { apiQuery, type ConnectionFilters } from './lib/filters';
import { hasMore, notificationQuery, type NotificationFilters, type NotificationPage } from './lib/notifications';
import { useSession } from './session-context';

const CONNECTIONS = '/api/integrations/connections';

export interface ConnectionPage {
  connections: ConnectionView[];
  page: number;
  page_size: number;
  total_count: number;
}

/** Every query of the connections starts with this key: the live stream refreshes them all at once. */
export const CONNECTIONS_KEY = 'connections';

export const useConnections = (filters: ConnectionFilters) => {
  const { token } = useSession();
  const query = apiQuery(filters);
  return useQuery({
    queryKey: [CONNECTIONS_KEY, 'list', query],
    queryFn: () => request<ConnectionPage>(token, 'GET', `${CONNECTIONS}?${query}`),
    placeholderData: (previous) => previous,
  });
};

export const useStatusSummary = () => {
  const { token } = useSession();
  return useQuery({
    queryKey: [CONNECTIONS_KEY, 'status'],
    queryFn: () => request<{ connections_status: { status: Status; count: number }[] }>(token, 'GET', `${CONNECTIONS}/status`),
  });
};

export const useConnection = (id: string) => {
  const { token } = useSession();
  return useQuery({ queryKey: [CONNECTIONS_KEY, 'one', id], queryFn: () => request<ConnectionView>(token, 'GET', `${CONNECTIONS}/${id}`) });
};

export const useHistory = (id: string) => {
  const { token } = useSession();
  return useQuery({
    queryKey: [CONNECTIONS_KEY, 'history', id],
    queryFn: () => request<{ events: HistoryEntry[] }>(token, 'GET', `${CONNECTIONS}/${id}/history`),
  });
};

export const useCredential = (id: string | null) => {
  const { token } = useSession();
  return useQuery({
    queryKey: ['credential', id],
    queryFn: () => request<CredentialView>(token, 'GET', `/api/integrations/credentials/${id}`),
    enabled: id !== null,
  });
};

/** The kinds, with their allowed transitions: the one source of the row actions. */
export const useDefinitions = () => {
  const { token } = useSession();
  return useQuery({
    queryKey: ['definitions'],
    queryFn: () => request<{ definitions: ConnectionDefinition[] }>(token, 'GET', '/api/integrations/connection-definitions'),
    staleTime: Infinity,
    select: (answer) => new Map(answer.definitions.map((definition) => [definition.kind, definition])),
  });
};

/** The organization's stored credentials (names and secret field names only): the registration's picker. */
export const useCredentials = (enabled = true) => {
  const { token } = useSession();
  return useQuery({
    queryKey: ['credentials', 'list'],
    queryFn: () => request<{ credentials: CredentialView[]; total_count: number }>(token, 'GET', '/api/integrations/credentials?pagesize=100'),
    enabled,
  });
};

/** The organization's environments, for assigning a connection. */
export const useEnvironments = (enabled = true) => {
  const { token } = useSession();
  return useQuery({
    queryKey: ['environments', 'list'],
    queryFn: () => request<{ environments: EnvironmentView[]; total_count: number }>(token, 'GET', '/api/environments?pagesize=100&order=name+asc'),
    enabled,
  });
};

export interface EnvironmentPage {
  environments: EnvironmentView[];
  page: number;
  page_size: number;
  total_count: number;
}

export interface WorkspacePage {
  workspaces: WorkspaceView[];
  page: number;
  page_size: number;
  total_count: number;
}

/** An environment's connections (or, `assigned: false`, the organization's others): keyed under connections, so live status changes refresh them. */
export type EnvironmentConnectionPage = ConnectionPage & { connections: (ConnectionView & { assigned?: boolean })[] };

/** Every environment and workspace query starts with one of these keys: a change refreshes them all. */
export const ENVIRONMENTS_KEY = 'environments';
export const WORKSPACES_KEY = 'workspaces';

export const useEnvironmentPage = (state: ListState) => {
  const { token } = useSession();
  const query = listApiQuery(state, { deletable: true });
  return useQuery({
    queryKey: [ENVIRONMENTS_KEY, 'page', query],
    queryFn: () => request<EnvironmentPage>(token, 'GET', `/api/environments?${query}`),
    placeholderData: (previous) => previous,
  });
};

export const useEnvironment = (id: string) => {
  const { token } = useSession();
  return useQuery({ queryKey: [ENVIRONMENTS_KEY, 'one', id], queryFn: () => request<EnvironmentView>(token, 'GET', `/api/environments/${id}`) });
};

export const useEnvironmentConnections = (id: string, assigned: boolean, state: ListState, enabled = true) => {
  const { token } = useSession();
  const query = `${listApiQuery(state)}${assigned ? '' : `&filter=${encodeURIComponent(JSON.stringify({ assigned: false }))}`}`;
  return useQuery({
    queryKey: [CONNECTIONS_KEY, ENVIRONMENTS_KEY, id, query],
    queryFn: () => request<EnvironmentConnectionPage>(token, 'GET', `/api/environments/${id}/connections?${query}`),
    placeholderData: (previous) => previous,
    enabled,
  });
};

export const useWorkspacePage = (state: ListState) => {
  const { token } = useSession();
  const query = listApiQuery(state);
  return useQuery({
    queryKey: [WORKSPACES_KEY, 'page', query],
    queryFn: () => request<WorkspacePage>(token, 'GET', `/api/workspaces?${query}`),
    placeholderData: (previous) => previous,
  });
};

export const useWorkspace = (id: string) => {
  const { token } = useSession();
  return useQuery({ queryKey: [WORKSPACES_KEY, 'one', id], queryFn: () => request<WorkspaceView>(token, 'GET', `/api/workspaces/${id}`) });
};

export const useWorkspaceEnvironments = (id: string) => {
  const { token } = useSession();
  return useQuery({
    queryKey: [WORKSPACES_KEY, 'environments', id],
    queryFn: () => request<EnvironmentPage>(token, 'GET', `/api/workspaces/${id}/environments?pagesize=100&order=name+asc`),
  });
};

export const useWorkspaceConnections = (id: string) => {
  const { token } = useSession();
  return useQuery({
    queryKey: [CONNECTIONS_KEY, WORKSPACES_KEY, id],
    queryFn: () => request<ConnectionPage>(token, 'GET', `/api/workspaces/${id}/connections?pagesize=100&order=name+asc`),
  });
};

export const useCredentialPage = (page: number, pageSize: number) => {
  const { token } = useSession();
  return useQuery({
    queryKey: ['credentials', 'page', page, pageSize],
    queryFn: () => request<{ credentials: CredentialView[]; page: number; page_size: number; total_count: number }>(token, 'GET', `/api/integrations/credentials?page=${page}&pagesize=${pageSize}`),
    placeholderData: (previous) => previous,
  });
};

// The API has no filter by credential: the organization's connections are read, up to this many pages of 100.
const CREDENTIAL_USER_PAGES = 20;

/** Which connections use each credential (credentials.ts), and whether every connection was read. */
export const useCredentialUsers = () => {
  const { token } = useSession();
  return useQuery({
    queryKey: [CONNECTIONS_KEY, 'by-credential'],
    queryFn: async () => {
      const read: ConnectionView[] = [];
      let total = 0;
      for (let page = 0; page < CREDENTIAL_USER_PAGES; page++) {
        const answer = await request<ConnectionPage>(token, 'GET', `${CONNECTIONS}?page=${page}&pagesize=100&order=name+asc`);
        read.push(...answer.connections);
        total = answer.total_count;
        if (read.length >= total || answer.connections.length === 0) break;
      }
      return { users: usersByCredential(read), complete: read.length >= total };
    },
  });
};

/** Every notification query starts with this key: a mark or delete refreshes them all; the live stream writes into them. */
export const NOTIFICATIONS_KEY = 'notifications';
const EVENTS = '/api/system/events';

/** The unread counts by severity (the organization's, whatever the filters): the bell. */
export const useNotificationCounts = () => {
  const { token } = useSession();
  return useQuery({
    queryKey: [NOTIFICATIONS_KEY, 'counts'],
    queryFn: () => request<NotificationPage>(token, 'GET', `${EVENTS}?pagesize=1`).then((page) => page.count_by_severity_level),
  });
};

/** The drawer's list, newest first, a page at a time ("Load more"); the filters are in the key, for the live merge. */
export const useNotifications = (filters: NotificationFilters, enabled: boolean) => {
  const { token } = useSession();
  return useInfiniteQuery({
    queryKey: [NOTIFICATIONS_KEY, 'list', filters],
    queryFn: ({ pageParam }) => request<NotificationPage>(token, 'GET', `${EVENTS}?${notificationQuery(filters, pageParam)}`),
    initialPageParam: 0,
    getNextPageParam: (last) => (hasMore([last]) ? last.page + 1 : undefined),
    placeholderData: (previous) => previous,
    enabled,
  });
};

/** The organization's categories (and actions) of notifications: the category filter's options. */
export const useNotificationTypes = (enabled: boolean) => {
  const { token } = useSession();
  return useQuery({
    queryKey: [NOTIFICATIONS_KEY, 'types'],
    queryFn: () => request<{ category: string[]; action: string[] }>(token, 'GET', `${EVENTS}/types`),
    enabled,
  });
};
