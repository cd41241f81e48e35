import { DEFAULT_LIST, environmentActions, environmentBody, environmentForm, listApiQuery, listToQuery, parseList, workspaceActions } from './environments';

describe('environment actions', () => {
  it('offers a viewer nothing, whatever the status', () => {
    for (const status of ['active', 'archived', 'deleted'] as const) expect(Object.values(environmentActions(status, 'viewer')).some(Boolean)).toBe(false);
  });

  it('lets an operator edit, archive and assign an active one, but not delete it', () => {
    expect(environmentActions('active', 'operator')).toEqual({ edit: true, archive: true, reactivate: false, assign: true, delete: false, recover: false });
    expect(environmentActions('active', 'admin').delete).toBe(true);
  });

  it('keeps an archived one\'s connections as they are: reactivate, edit, no assignment', () => {
    expect(environmentActions('archived', 'operator')).toEqual({ edit: true, archive: false, reactivate: true, assign: false, delete: false, recover: false });
    expect(environmentActions('archived', 'admin').delete).toBe(true);
  });

  it('offers only recovery of a deleted one, to an admin', () => {
    expect(environmentActions('deleted', 'admin')).toEqual({ edit: false, archive: false, reactivate: false, assign: false, delete: false, recover: true });
    expect(environmentActions('deleted', 'operator').recover).toBe(false);
  });

  it('lets operators edit workspaces and only admins delete them', () => {
    expect(workspaceActions('viewer')).toEqual({ edit: false, delete: false });
    expect(workspaceActions('operator')).toEqual({ edit: true, delete: false });
    expect(workspaceActions('admin')).toEqual({ edit: true, delete: true });
  });
});

describe('list state', () => {
  it('reads the page query string, falling back to defaults', () => {
    expect(parseList('')).toEqual(DEFAULT_LIST);
    expect(parseList('?search=prod&page=2&pagesize=50&deleted=true')).toEqual({ search: 'prod', page: 2, pageSize: 50, deleted: true });
    expect(parseList('?page=-1&pagesize=7&deleted=yes')).toEqual(DEFAULT_LIST);
  });

  it('writes it back without the defaults, and round-trips', () => {
    expect(listToQuery(DEFAULT_LIST)).toBe('');
    const state = { search: 'a b', page: 3, pageSize: 10, deleted: true };
    expect(parseList(`?${listToQuery(state)}`)).toEqual(state);
  });

  it('asks the API for the page by name, the deleted ones only where the list has them', () => {
    const state = { search: ' prod ', page: 1, pageSize: 10, deleted: true };
    expect(Object.fromEntries(new URLSearchParams(listApiQuery(state, { deletable: true })))).toEqual({
      page: '1',
      pagesize: '10',
      order: 'name asc',
      search: 'prod',
      filter: '{"deleted_at":true}',
    });
    expect(new URLSearchParams(listApiQuery(state)).has('filter')).toBe(false);
    expect(new URLSearchParams(listApiQuery(DEFAULT_LIST)).has('search')).toBe(false);
  });
});

describe('environment form', () => {
  it('trims the fields and splits the tags, each once', () => {
    expect(environmentBody({ name: ' prod ', description: ' main ', tags: 'eu, eu ,, web' })).toEqual({ name: 'prod', description: 'main', tags: ['eu', 'web'] });
  });

  it('starts from the environment as it is', () => {
    expect(environmentForm({ name: 'prod', description: 'd', tags: ['a', 'b'] })).toEqual({ name: 'prod', description: 'd', tags: 'a, b' });
  });
});
