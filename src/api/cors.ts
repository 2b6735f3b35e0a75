// CORS as the Java driver had it (any origin), which the Temporal Web UI also needs for the codec endpoint.
import type { FastifyInstance } from 'fastify';

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return;
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Vary', 'Origin');
    if (request.method === 'OPTIONS') {
      reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
      reply.header(
        'Access-Control-Allow-Headers',
        request.headers['access-control-request-headers'] ?? 'content-type, authorization',
      );
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    }
  });
}
