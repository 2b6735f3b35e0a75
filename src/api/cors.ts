// CORS for browsers, chiefly the Temporal Web UI calling /codec/* cross-origin. Only origins configured in
// CORS_ORIGINS are answered, and only an exact match is echoed (with credentials). `*` answers any origin with the
// literal `*` and never with credentials. (The Java driver allowed every origin; an API that accepts bearer tokens
// should not let any web page call it with the user's credentials.)
import type { FastifyInstance } from 'fastify';

const METHODS = 'GET, POST, PUT, OPTIONS';
const DEFAULT_HEADERS = 'content-type, authorization';
/** Header names, comma separated: anything else in Access-Control-Request-Headers is not echoed. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~, -]{0,1024}$/;

export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return;
    const permitted = anyOrigin || allowed.has(origin);
    if (!anyOrigin) reply.header('Vary', 'Origin');
    if (permitted) {
      reply.header('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
      if (!anyOrigin) reply.header('Access-Control-Allow-Credentials', 'true');
    }
    // A preflight carries no token: answer it here, before authentication, with or without permission.
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      if (permitted) {
        const requested = request.headers['access-control-request-headers'];
        reply.header('Access-Control-Allow-Methods', METHODS);
        reply.header(
          'Access-Control-Allow-Headers',
          requested && HEADER_LIST.test(requested) ? requested : DEFAULT_HEADERS,
        );
        reply.header('Access-Control-Max-Age', '600');
      }
      return reply.code(204).send();
    }
  });
}
