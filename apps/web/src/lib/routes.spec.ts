import { connectionPath, routeOf } from './routes';

describe('routes', () => {
  it('maps paths to pages', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(routeOf('/')).toEqual({ page: 'connections' });
    expect(routeOf(connectionPath(id))).toEqual({ page: 'connection', id });
    expect(routeOf('/connections/nope')).toEqual({ page: 'not-found', path: '/connections/nope' });
  });
});
