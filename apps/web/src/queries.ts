import { useQuery } from '@tanstack/react-query';
import type { ConnectionDefinition, ConnectionView, CredentialView, EnvironmentView, HistoryEntry, Status } from '@clp/contracts';
import { request } from './lib/api';
import { apiQuery, type ConnectionFilters } from './lib/filters';
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
