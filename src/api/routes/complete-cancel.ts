// PUT /complete and PUT /cancel/{id}: signals to the environment workflows, from any replica. An unknown or
// finished environment is not an error (the Java driver answered 200 too).
import type { ApiApp, RouteDeps } from '../deps';
import { HttpError } from '../errors';
import { completeRequestSchema, environmentIdParams } from '../schemas';

const NO_DEBUG = { debugHost: null, debugPort: -1 };

export function completeCancelRoutes(app: ApiApp, { config, environments }: RouteDeps): void {
  app.put('/cancel/:environmentId', { schema: { params: environmentIdParams } }, async (request) => {
    const { environmentId } = request.params;
    if (!(await environments.cancel(environmentId))) request.log.info({ environmentId }, 'no running environment');
    return NO_DEBUG;
  });

  app.put('/complete', { schema: { body: completeRequestSchema } }, async (request) => {
    // Both names are DNS labels or empty by now (schema): nothing unbounded reaches Temporal or a selector.
    const { environmentLabel, environmentId, enableDebug } = request.body;
    if (enableDebug) {
      if (!environmentId) throw new HttpError(400, 'BadRequestException', 'environmentId is required with enableDebug');
      // The branch retries the SSH check for ssh-ping-retry-duration; allow for the object creation on top.
      const { sshPing, httpRequestTimeoutMs } = config.settings;
      const access = await environments.requestDebug(environmentId, sshPing.durationMs + httpRequestTimeoutMs * 4);
      return { debugHost: access.host, debugPort: access.port };
    }
    if (environmentLabel) {
      const { environmentIds, sweepId } = await environments.completeLabel(environmentLabel);
      request.log.info({ environmentLabel, environments: environmentIds.length, sweepId }, 'completed by label');
    } else if (environmentId) {
      if (!(await environments.complete(environmentId))) request.log.info({ environmentId }, 'no running environment');
    } else {
      throw new HttpError(400, 'BadRequestException', 'environmentId or environmentLabel is required');
    }
    return NO_DEBUG;
  });
}
