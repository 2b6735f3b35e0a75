// GET /version and the health endpoints (contract §1.4–1.5). Ready means Temporal answers.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';

const UP = { status: 'UP', checks: [{ name: 'Running.', status: 'UP' }] };

export function operationsRoutes(app: FastifyInstance, { config, client, lifecycle, metrics }: ApiDeps): void {
  if (metrics) {
    metrics.countPhasesWith(client, config.temporal.taskQueue);
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
    try {
      await client.workflowService.getSystemInfo({});
      return {
        status: 'UP',
        checks: [
          { name: 'Running.', status: 'UP' },
          { name: 'Temporal', status: 'UP' },
        ],
      };
    } catch (error) {
      reply.code(503);
      return {
        status: 'DOWN',
        checks: [
          { name: 'Running.', status: 'UP' },
          { name: 'Temporal', status: 'DOWN', data: { error: (error as Error).message } },
        ],
      };
    }
  };
  app.get('/q/health/ready', ready);
  app.get('/q/health', ready);
}
