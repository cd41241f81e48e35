import { connectionPath, environmentPath, routeOf, workspacePath } from './routes';

describe('routes', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('maps paths to pages', () => {
    expect(routeOf('/')).toEqual({ page: 'connections' });
    expect(routeOf(connectionPath(id))).toEqual({ page: 'connection', id });
    expect(routeOf('/connections/nope')).toEqual({ page: 'not-found', path: '/connections/nope' });
  });

  it('maps the environments, workspaces and credentials pages', () => {
    expect(routeOf('/environments')).toEqual({ page: 'environments' });
    expect(routeOf(environmentPath(id))).toEqual({ page: 'environment', id });
    expect(routeOf(`/environments/${id.toUpperCase()}`)).toEqual({ page: 'environment', id });
    expect(routeOf('/workspaces')).toEqual({ page: 'workspaces' });
    expect(routeOf(workspacePath(id))).toEqual({ page: 'workspace', id });
    expect(routeOf('/credentials')).toEqual({ page: 'credentials' });
    expect(routeOf(`/credentials/${id}`)).toEqual({ page: 'not-found', path: `/credentials/${id}` });
    expect(routeOf('/workspaces/x')).toEqual({ page: 'not-found', path: '/workspaces/x' });
  });
});
