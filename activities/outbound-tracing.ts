// Outbound calls as OpenTelemetry client spans: a child of the activity's span (the active context, set by the
// Temporal activity interceptor), injected into the request as W3C `traceparent`/`tracestate`.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { OutboundTracer } from './outbound-http';

/** Without credentials and query: an invoker's callback URL may carry a token there. */
function safeUrl(url: string): { full: string; host: string } {
  try {
    const parsed = new URL(url);
    return { full: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, host: parsed.hostname };
  } catch {
    return { full: '', host: '' };
  }
}

export function outboundTracer(tracer: Tracer): OutboundTracer {
  return async ({ method, url, headers }, send) => {
    const { full, host } = safeUrl(url);
    const span = tracer.startSpan(method, {
      kind: SpanKind.CLIENT,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_FULL]: full, [ATTR_SERVER_ADDRESS]: host },
    });
    const active = trace.setSpan(context.active(), span);
    // Replaces a traceparent the invoker put in its callback headers: the callback is part of this trace now.
    propagation.inject(active, headers, { set: (carrier, key, value) => carrier.set(key, value) });
    try {
      const response = await context.with(active, send);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, (error as Error).name || 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };
}
