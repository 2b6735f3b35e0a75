// Additive, read-only views for operators: one environment's status query, and a visibility listing.
import type { ApiApp, RouteDeps } from '../deps';
import { environmentIdParams, environmentsQuery } from '../schemas';

export function environmentRoutes(app: ApiApp, { environments }: RouteDeps): void {
  app.get('/environments/:environmentId', { schema: { params: environmentIdParams } }, async (request) =>
    environments.status(request.params.environmentId),
  );

  app.get('/environments', { schema: { querystring: environmentsQuery } }, async (request) => {
    const { label, phase } = request.query;
    const limit = Number(request.query.limit ?? 100);
    return { environments: await environments.list({ label, phase, limit }) };
  });
}
