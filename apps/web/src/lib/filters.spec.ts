import { DEFAULT_FILTERS, apiQuery, filtersToQuery, parseFilters, toggleOrder, withFilter } from './filters';

describe('connection filters ↔ the URL', () => {
  it('reads repeated lists, search, page, size and order from the query string', () => {
    expect(parseFilters('?status=connected&status=not%20found&kind=prometheus&type=observability&search=%20prom%20&page=2&pagesize=25&order=name%20asc')).toEqual({
      status: ['connected', 'not found'],
      kind: ['prometheus'],
      type: ['observability'],
      search: 'prom',
      page: 2,
      pageSize: 25,
      order: 'name asc',
    });
  });

  it('falls back to the defaults for what it cannot read: unknown statuses, bad numbers, orders the API refuses', () => {
    expect(parseFilters('status=bogus&status=connected&status=connected&page=-1&pagesize=7&order=kind%20asc')).toEqual({ ...DEFAULT_FILTERS, status: ['connected'] });
    expect(parseFilters('')).toEqual(DEFAULT_FILTERS);
  });

  it('writes the defaults as nothing and round-trips every other value', () => {
    expect(filtersToQuery(DEFAULT_FILTERS)).toBe('');
    const filters = { status: ['registered' as const, 'not found' as const], kind: ['grafana', 'prometheus'], type: [], search: 'a b', page: 3, pageSize: 50, order: 'created_at asc' };
    const query = filtersToQuery(filters);
    expect(query).toBe('status=registered&status=not+found&kind=grafana&kind=prometheus&search=a+b&page=3&pagesize=50&order=created_at+asc');
    expect(parseFilters(query)).toEqual(filters);
  });

  it('always names the page size to the API', () => {
    expect(apiQuery(DEFAULT_FILTERS)).toBe('pagesize=10');
    expect(apiQuery({ ...DEFAULT_FILTERS, status: ['connected'] })).toBe('status=connected&pagesize=10');
  });

  it('goes back to the first page when a filter changes', () => {
    expect(withFilter({ ...DEFAULT_FILTERS, page: 4 }, 'kind', ['grafana'])).toEqual({ ...DEFAULT_FILTERS, kind: ['grafana'] });
  });

  it('toggles the direction of the sorted column, and sorts a new column ascending', () => {
    expect(toggleOrder('updated_at desc', 'name')).toBe('name asc');
    expect(toggleOrder('name asc', 'name')).toBe('name desc');
    expect(toggleOrder('name desc', 'name')).toBe('name asc');
  });
});
