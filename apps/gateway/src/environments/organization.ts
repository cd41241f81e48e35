import { ReplyError } from '@clp/contracts';
import type { RequestContext } from '../auth/request-context';

type Named = { organization_id?: string; orgID?: string };

/**
 * Meshery's clients name the organization they act in: `organization_id` in a body, `orgID` in a
 * list query. It must be the caller's (from the token), or the request is 403 `forbidden`; the
 * services take the organization from the caller only, so it is left out of what they receive.
 */
export const inCallersOrganization = <T extends Named>(context: RequestContext, fields: T): Omit<T, keyof Named> => {
  const { organization_id, orgID, ...rest } = fields;
  for (const [field, value] of [['organization_id', organization_id], ['orgID', orgID]] as const) {
    if (value !== undefined && value !== context.caller.organization_id) throw new ReplyError('forbidden', `${field} is not your organization`, { field });
  }
  return rest;
};
