// POST /create: start the environment workflow and answer once its pod and service create calls returned.
import type { ApiApp, RouteDeps } from '../deps';
import { buildEnvironmentInput } from '../environment-input';
import { StoppingError } from '../errors';
import { requestContext } from '../request-context';
import { createHeadersSchema, createRequestSchema } from '../schemas';
import { requestSpan } from '../tracing';

export function createRoute(app: ApiApp, { config, environments, lifecycle }: RouteDeps): void {
  const schema = { body: createRequestSchema, headers: createHeadersSchema };
  app.post('/create', { schema }, async (request) => {
    if (lifecycle.shuttingDown) throw new StoppingError();
    const context = requestContext(request.headers, requestSpan(request));
    const input = buildEnvironmentInput(request.body, context, config);
    const { environmentId } = input.names;
    // Every line about this environment carries its id and the invoker's correlation ids.
    const log = request.log.child({ environmentId, processContext: context.processContext, traceId: context.traceId });
    log.info({ imageId: input.request.imageId }, 'creating environment');
    await environments.create(input, config.settings.httpRequestTimeoutMs * 2);
    return {
      environmentId,
      cancel: {
        method: 'PUT',
        uri: `${config.http.selfBaseUrl.replace(/\/+$/, '')}/cancel/${environmentId}`,
        headers: [{ name: 'Content-Type', value: 'application/json' }, ...context.headers],
        attachment: null,
      },
    };
  });
}
