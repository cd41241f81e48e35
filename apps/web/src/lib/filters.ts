import { isStatus, type Status } from '@clp/contracts';

/** What the connections table shows: the page's URL holds it, so a view can be shared. */
export interface ConnectionFilters {
  status: Status[];
  kind: string[];
  type: string[];
  search: string;
  /** From 0, as the API counts. */
  page: number;
  pageSize: number;
  /** `field direction`, the API's `order`: `updated_at`, `created_at` or `name`, `asc` or `desc`. */
  order: string;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_FILTERS: ConnectionFilters = { status: [], kind: [], type: [], search: '', page: 0, pageSize: 10, order: 'updated_at desc' };
const ORDER = /^(updated_at|created_at|name) (asc|desc)$/;

const distinct = (values: string[]) => [...new Set(values.map((value) => value.trim()).filter(Boolean))];

/** The filters a query string names; what it misspells falls back to the default. */
export const parseFilters = (query: string): ConnectionFilters => {
  const params = new URLSearchParams(query);
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pagesize'));
  const order = params.get('order') ?? '';
  return {
    status: distinct(params.getAll('status')).filter(isStatus),
    kind: distinct(params.getAll('kind')),
    type: distinct(params.getAll('type')),
    search: params.get('search')?.trim() ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 0,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_FILTERS.pageSize,
    order: ORDER.test(order) ? order : DEFAULT_FILTERS.order,
  };
};

/**
 * The query string of the filters, defaults left out, lists as the parameter repeated: the same
 * string is the page's URL and the API's query (GET /api/integrations/connections takes both).
 */
export const filtersToQuery = (filters: ConnectionFilters): string => {
  const params = new URLSearchParams();
  for (const name of ['status', 'kind', 'type'] as const) for (const value of filters[name]) params.append(name, value);
  if (filters.search) params.set('search', filters.search);
  if (filters.page) params.set('page', String(filters.page));
  if (filters.pageSize !== DEFAULT_FILTERS.pageSize) params.set('pagesize', String(filters.pageSize));
  if (filters.order !== DEFAULT_FILTERS.order) params.set('order', filters.order);
  return params.toString();
};

/** The API's query: the page size always said, since the API's default could differ from the UI's. */
export const apiQuery = (filters: ConnectionFilters): string => {
  const params = new URLSearchParams(filtersToQuery(filters));
  params.set('pagesize', String(filters.pageSize));
  return params.toString();
};

/** A change of what is shown starts again at the first page. */
export const withFilter = <K extends 'status' | 'kind' | 'type' | 'search'>(filters: ConnectionFilters, name: K, value: ConnectionFilters[K]): ConnectionFilters => ({
  ...filters,
  [name]: value,
  page: 0,
});

/** The column header's click: the other direction of the same field, or a new field ascending. */
export const toggleOrder = (order: string, field: 'updated_at' | 'created_at' | 'name'): string => {
  const [current, direction] = order.split(' ');
  return current === field && direction === 'asc' ? `${field} desc` : `${field} asc`;
};
