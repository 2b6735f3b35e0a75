// The thin REST adapter: Fastify with the Java driver's contract; every decision lives in the workflow.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { registerAuth } from './auth';
import { registerCors } from './cors';
import { codecRoutes } from './routes/codec';
import { EnvironmentClient } from '../temporal/environment-client';
import { EnvironmentError } from '../temporal/environment-errors';
import type { ApiDeps, RouteDeps } from './deps';
import { HttpError, httpError, StoppingError } from './errors';
import { jsonLimitsPlugin } from './json-limits';
import { BODY_LIMIT, MAX_PARAM_LENGTH } from './limits';
import { completeCancelRoutes } from './routes/complete-cancel';
import { createRoute } from './routes/create';
import { registerTracing } from './tracing';
import { environmentRoutes } from './routes/environments';
import { operationsRoutes } from './routes/operations';

export function buildApp(deps: ApiDeps, options: { logger?: boolean | object } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.logLevel, redact: ['req.headers.authorization'] },
    // Jackson ignored unknown properties; so does this: validation never strips or rejects them.
    // Bounds Jackson never had: strings by maxLength/pattern, free-form JSON by x-json-limits (limits.ts).
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false },
      plugins: [jsonLimitsPlugin],
    },
    bodyLimit: BODY_LIMIT,
    // Longer than any valid id, so a long one is refused by its schema (400 naming it), not by the router.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A URL that does not decode, or a path parameter past the router's limit: the same error body as the rest.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (reply as FastifyReply).code(tooLong ? 414 : 400).send({
        errorType: 'BadRequestException',
        errorMessage: tooLong
          ? `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`
          : 'the path is not valid percent-encoded UTF-8',
        details: null,
      });
    },
  });

  app.setErrorHandler((thrown: FastifyError | HttpError | StoppingError | EnvironmentError, request, reply) => {
    if (thrown instanceof StoppingError) return reply.code(503).send();
    const error = thrown instanceof EnvironmentError ? httpError(thrown) : thrown;
    if (error instanceof HttpError) {
      if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer');
      reply.headers(error.headers); // e.g. the auth hook's own challenge
      return reply.code(error.statusCode).send(error.body());
    }
    if ('validation' in error && error.validation) {
      const context = error.validationContext ?? 'body';
      return reply.code(400).send({
        errorType: 'BadRequestException',
        errorMessage: `${context}${error.message.replace(/^[a-z]+\b/, '')}`,
        details: null,
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT;
      return reply.code(413).send({
        errorType: 'PayloadTooLargeException',
        errorMessage: `body is larger than ${limit} bytes`,
        details: null,
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .code(error.statusCode)
        .send({ errorType: 'BadRequestException', errorMessage: error.message, details: null });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ errorType: error.name || 'Error', errorMessage: error.message, details: null });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send());

  // The invoker replays the `cancel` Request from /create as given: Content-Type JSON and no body. JAX-RS
  // accepted that, Fastify's parser refuses it with 400; an empty JSON body means "no body" here.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    void json(request, body as string, done);
  });

  if (deps.tracer) registerTracing(app, deps.tracer); // first: refused requests are traced too
  registerCors(app, deps.config.http.corsOrigins); // a preflight carries no token
  registerAuth(app, deps.config.auth);
  // The OpenAPI document is built from the routes' own schemas, so it cannot drift from what is validated.
  void app.register(swagger, {
    openapi: {
      info: { title: 'PNC environment driver', version: deps.config.version.version },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          ...(deps.config.auth.ldap ? { basic: { type: 'http', scheme: 'basic' } } : {}),
        },
      },
      ...(deps.config.auth.enabled
        ? { security: [{ bearer: [] }, ...(deps.config.auth.ldap ? [{ basic: [] }] : [])] }
        : {}),
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Routes live in a plugin registered after swagger, so its onRoute hook sees every one of them.
  const { client, ...rest } = deps;
  const routeDeps: RouteDeps = { ...rest, environments: new EnvironmentClient(client, deps.config.temporal.taskQueue) };
  void app.register(async (plugin) => {
    const routes = plugin.withTypeProvider<TypeBoxTypeProvider>();
    createRoute(routes, routeDeps);
    completeCancelRoutes(routes, routeDeps);
    operationsRoutes(routes, routeDeps);
    environmentRoutes(routes, routeDeps);
    codecRoutes(routes, client.options.dataConverter.payloadCodecs ?? []);
  });
  return app;
}
