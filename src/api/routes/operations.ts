// GET /version and the health endpoints (contract §1.4–1.5). Ready means Temporal answers and, in local mode,
// every embedded server is up.
import type { FastifyInstance } from 'fastify';
import type { EnvironmentClient } from '../../temporal/environment-client';
import type { HealthCheck, RouteDeps } from '../deps';

const UP = { status: 'UP', checks: [{ name: 'Running.', status: 'UP' }] };

export function operationsRoutes(
  app: FastifyInstance,
  { config, environments, lifecycle, metrics, embeddedChecks }: RouteDeps,
): void {
  if (metrics) {
    metrics.countPhasesWith(() => environments.countByPhase());
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
    app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url === '/create')
        metrics.createRequest(String(reply.statusCode), reply.elapsedTime / 1000);
    });
  }
  app.get('/version', async () => ({ ...config.version, components: [] }));
  app.get('/q/health/live', async () => UP);
  app.get('/q/health/started', async () => UP);

  const ready = async (_request: unknown, reply: { code(n: number): unknown }) => {
    if (lifecycle.shuttingDown) {
      reply.code(503);
      return { status: 'DOWN', checks: [{ name: 'Running.', status: 'DOWN', data: { reason: 'shutting down' } }] };
    }
    // Taken before the Temporal call, which may outlast a short outage.
    const embedded = embeddedChecks?.() ?? [];
    const checks: HealthCheck[] = [{ name: 'Running.', status: 'UP' }, await temporalCheck(environments), ...embedded];
    const up = checks.every((check) => check.status === 'UP');
    if (!up) reply.code(503);
    return { status: up ? 'UP' : 'DOWN', checks };
  };
  app.get('/q/health/ready', ready);
  app.get('/q/health', ready);
}

/** The client retries an unreachable server for ~20 s; a probe must answer sooner than that. */
async function temporalCheck(environments: EnvironmentClient): Promise<HealthCheck> {
  try {
    await environments.reachable(3000);
    return { name: 'Temporal', status: 'UP' };
  } catch (error) {
    return { name: 'Temporal', status: 'DOWN', data: { error: (error as Error).message } };
  }
}
