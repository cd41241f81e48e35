/** The UI's pages; the path is the page, the query string its state (docs/web.md, "Routes"). */
export type Route = { page: 'connections' } | { page: 'connection'; id: string } | { page: 'not-found'; path: string };

export const routeOf = (path: string): Route => {
  if (path === '/' || path === '' || path === '/connections') return { page: 'connections' };
  const connection = /^\/connections\/([0-9a-f-]{36})$/i.exec(path);
  if (connection) return { page: 'connection', id: connection[1].toLowerCase() };
  return { page: 'not-found', path };
};

export const connectionPath = (id: string): string => `/connections/${id}`;
