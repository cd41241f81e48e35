/** The UI's pages; the path is the page, the query string its state (docs/web.md, "Routes"). */
export type Route =
  | { page: 'connections' }
  | { page: 'connection'; id: string }
  | { page: 'environments' }
  | { page: 'environment'; id: string }
  | { page: 'workspaces' }
  | { page: 'workspace'; id: string }
  | { page: 'credentials' }
  | { page: 'not-found'; path: string };

const ONE = /^\/(connections|environments|workspaces)\/([0-9a-f-]{36})$/i;
const SINGULAR = { connections: 'connection', environments: 'environment', workspaces: 'workspace' } as const;

export const routeOf = (path: string): Route => {
  if (path === '/' || path === '' || path === '/connections') return { page: 'connections' };
  if (path === '/environments' || path === '/workspaces' || path === '/credentials') return { page: path.slice(1) as 'environments' | 'workspaces' | 'credentials' };
  const one = ONE.exec(path);
  if (one) return { page: SINGULAR[one[1].toLowerCase() as keyof typeof SINGULAR], id: one[2].toLowerCase() };
  return { page: 'not-found', path };
};

export const connectionPath = (id: string): string => `/connections/${id}`;
export const environmentPath = (id: string): string => `/environments/${id}`;
export const workspacePath = (id: string): string => `/workspaces/${id}`;
