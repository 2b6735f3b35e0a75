// One server span per REST request, continuing the invoker's W3C `traceparent`. The handler runs with that span
// active, so the Temporal client's StartWorkflow span (and through it the workflow) joins the invoker's trace.
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Probes and scrapes: frequent, and nobody's trace. */
const UNTRACED = /^\/(q\/|metrics)/;

const requestContexts = new WeakMap<FastifyRequest, Context>();

/** The request's server span, for a route that echoes it (cancel.headers); undefined without tracing. */
export function requestSpan(request: FastifyRequest): SpanContext | undefined {
  const active = requestContexts.get(request);
  return active && trace.getSpanContext(active);
}

function endSpan(request: FastifyRequest, statusCode: number | null): void {
  const active = requestContexts.get(request);
  const span = active && trace.getSpan(active);
  if (!span) return;
  requestContexts.delete(request);
  if (statusCode !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (statusCode === null || statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

export function registerTracing(app: FastifyInstance, tracer: Tracer): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route === undefined || UNTRACED.test(request.url)) return done();
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_HTTP_ROUTE]: route,
          [ATTR_URL_PATH]: request.url.split('?')[0],
        },
      },
      parent,
    );
    requestContexts.set(request, trace.setSpan(parent, span));
    done();
  });
  // After parsing and validation: the handler (and every await in it) runs inside the request's span.
  app.addHook('preHandler', (request, _reply, done) => {
    const active = requestContexts.get(request);
    if (active) context.with(active, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    endSpan(request, reply.statusCode);
    done();
  });
  // The client went away: no response, but the span still ends (as an error).
  app.addHook('onRequestAbort', (request, done) => {
    endSpan(request, null);
    done();
  });
}
