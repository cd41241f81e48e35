import type { EnvironmentView, Role } from '@clp/contracts';

/** An environment's status as the API answers it: `deleted` only in the list of deleted ones. */
export type EnvironmentStatusShown = EnvironmentView['status'];

/** What a person may do with an environment, by its status and their role (docs/gateway.md, docs/environment.md). */
export interface EnvironmentActions {
  edit: boolean;
  archive: boolean;
  reactivate: boolean;
  /** Assign and remove connections: an archived environment keeps them as they are (409). */
  assign: boolean;
  delete: boolean;
  recover: boolean;
}

const NONE: EnvironmentActions = { edit: false, archive: false, reactivate: false, assign: false, delete: false, recover: false };

export const environmentActions = (status: EnvironmentStatusShown, role: Role): EnvironmentActions => {
  if (role === 'viewer') return NONE;
  const admin = role === 'admin';
  switch (status) {
    case 'active':
      return { ...NONE, edit: true, archive: true, assign: true, delete: admin };
    case 'archived':
      return { ...NONE, edit: true, reactivate: true, delete: admin };
    case 'deleted':
      return { ...NONE, recover: admin };
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
};

/** What a person may do with workspaces: operators create, edit and link; only an admin deletes. */
export const workspaceActions = (role: Role): { edit: boolean; delete: boolean } => ({ edit: role !== 'viewer', delete: role === 'admin' });

/** The state of a list page: what the environment and workspace lists take (page from 0, search). */
export interface ListState {
  page: number;
  pageSize: number;
  search: string;
  /** Environments only: the deleted ones (`filter={"deleted_at":true}`) instead of the others. */
  deleted: boolean;
}

export const LIST_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_LIST: ListState = { page: 0, pageSize: 25, search: '', deleted: false };

/** The page's query string → its state; what cannot be read falls back to the default. */
export const parseList = (query: string): ListState => {
  const params = new URLSearchParams(query);
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pagesize'));
  return {
    page: Number.isInteger(page) && page >= 0 ? page : 0,
    pageSize: (LIST_PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_LIST.pageSize,
    search: (params.get('search') ?? '').slice(0, 256),
    deleted: params.get('deleted') === 'true',
  };
};

/** The state → the page's query string, defaults left out. */
export const listToQuery = (state: ListState): string => {
  const params = new URLSearchParams();
  if (state.search) params.set('search', state.search);
  if (state.deleted) params.set('deleted', 'true');
  if (state.page) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_LIST.pageSize) params.set('pagesize', String(state.pageSize));
  return params.toString();
};

/** The state → the API's query string, sorted by name. */
export const listApiQuery = (state: ListState, { deletable = false } = {}): string => {
  const params = new URLSearchParams({ page: String(state.page), pagesize: String(state.pageSize), order: 'name asc' });
  if (state.search.trim()) params.set('search', state.search.trim());
  if (deletable && state.deleted) params.set('filter', JSON.stringify({ deleted_at: true }));
  return params.toString();
};

/** The fields of the environment form as the API's body: blank description kept (it clears it), tags split on commas. */
export const environmentBody = (form: { name: string; description: string; tags: string }) => ({
  name: form.name.trim(),
  description: form.description.trim(),
  tags: [...new Set(form.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))],
});

/** The form of an existing environment. */
export const environmentForm = (environment: Pick<EnvironmentView, 'name' | 'description' | 'tags'>) => ({
  name: environment.name,
  description: environment.description,
  tags: environment.tags.join(', '),
});
