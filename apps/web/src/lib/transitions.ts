import type { ConnectionDefinition, Role, Status } from '@clp/contracts';

/** What a role may do in the UI, as the API's roles say (docs/gateway.md): the UI hides the rest. */
export const canChange = (role: Role): boolean => role === 'operator' || role === 'admin';

/**
 * The row actions of a connection: exactly the statuses a person may move it to from `status`, as
 * the kind's definition (GET /api/integrations/connection-definitions) says, less those the role
 * may not ask for (a viewer none; `deleted` only an admin).
 */
export const transitionsFor = (definition: Pick<ConnectionDefinition, 'allowed_transitions'> | undefined, status: Status, role: Role): Status[] => {
  if (!definition || !canChange(role)) return [];
  const allowed = definition.allowed_transitions[status]?.user ?? [];
  return allowed.filter((to) => to !== status && (to !== 'deleted' || role === 'admin'));
};

/** The label of a row action. */
export const transitionLabel = (to: Status): string =>
  ({
    connected: 'Connect',
    disconnected: 'Disconnect',
    ignored: 'Ignore',
    maintenance: 'Maintenance',
    deleted: 'Delete',
    registered: 'Register',
    discovered: 'Discovered',
    'not found': 'Not found',
  })[to];
