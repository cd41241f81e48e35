import { Injectable } from '@nestjs/common';
import { ReplyError, SUBJECTS, type AssignedEnvironment, type ConnectionView } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import type { RequestContext } from '../auth/request-context';
import { EnvironmentClient } from '../environments/environment-client';

const E = SUBJECTS.environment;

/**
 * A registration with `environment_ids`, as the Registration Modal makes it: every environment
 * is checked first (the caller's, and there), then the connection is registered, then assigned to
 * each, in the order given. The answer shows the environments it was assigned to.
 */
@Injectable()
export class RegisterConnection {
  constructor(private readonly environments: EnvironmentClient) {}

  /** `register`: the registry request (POST /connections, or the `register` step). */
  async apply(context: RequestContext, environmentIds: string[] | undefined, register: () => Promise<ConnectionView>): Promise<ConnectionView> {
    const targets = await Promise.all((environmentIds ?? []).map((id, index) => this.environment(context, id, index)));
    const view = await register();
    for (const target of targets) {
      await this.environments.call(E.assignConnection, context, { environment_id: target.id, connection_id: view.id });
    }
    const known = new Set(view.environments.map((environment) => environment.id));
    return { ...view, environments: [...view.environments, ...targets.filter((target) => !known.has(target.id))] };
  }

  private async environment(context: RequestContext, id: string, index: number): Promise<AssignedEnvironment> {
    try {
      const environment = await this.environments.call(E.getEnvironment, context, { environment_id: id });
      return { id: environment.id, name: environment.name };
    } catch (error) {
      if (error instanceof ReplyError && error.code === 'not_found') {
        throw validationFailed([{ field: `environment_ids.${index}`, reasons: ['no such environment in your organization'] }]);
      }
      throw error;
    }
  }
}
