// The invoker's MDC headers (contract §0): required on /create, carried into templates and `cancel.headers`.
// Their schema (createHeadersSchema) bounds them; blank required values are refused here, as the Java driver did.
import { randomInt } from 'node:crypto';
import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import type { RequestContext } from '../../workflows/types';
import { badRequest } from './errors';
import type { CreateHeaders } from './schemas';

/** Checked in the Java driver's order; the first missing one is named. */
const REQUIRED = [
  ['log-process-context', 'processContext'],
  ['log-tmp', 'tmp'],
  ['log-exp', 'exp'],
  ['log-user-id', 'userId'],
] as const;

/** Echoed back in `cancel.headers` when present, after the required ones. */
const ECHOED: (keyof CreateHeaders)[] = [
  'log-request-context',
  'process-context-variant',
  'log-build-id',
  'trace-id',
  'span-id',
  'trace-flags',
  'traceparent',
  'tracestate',
];

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

type TraceHeaders = Required<
  Pick<CreateHeaders, 'trace-id' | 'span-id' | 'trace-flags' | 'traceparent' | 'tracestate'>
>;

/**
 * The trace headers the Java driver put in its MDC: from the invoker's `traceparent`, or from the request's own
 * span when that header is missing (or not W3C) and tracing is on. `tracestate` may be "" (contract §1.1).
 */
function traceHeaders(headers: CreateHeaders, span: SpanContext | undefined): TraceHeaders | null {
  const parsed = headers.traceparent ? TRACEPARENT.exec(headers.traceparent) : null;
  if (parsed) {
    const [traceparent, traceId, spanId, flags] = parsed;
    const tracestate = headers.tracestate ?? '';
    return { 'trace-id': traceId, 'span-id': spanId, 'trace-flags': flags, traceparent, tracestate };
  }
  if (!span || !isSpanContextValid(span)) return null;
  const flags = span.traceFlags.toString(16).padStart(2, '0');
  return {
    'trace-id': span.traceId,
    'span-id': span.spanId,
    'trace-flags': flags,
    traceparent: `00-${span.traceId}-${span.spanId}-${flags}`,
    tracestate: span.traceState?.serialize() ?? '',
  };
}

/** `span`: the request's server span, when tracing is on. */
export function requestContext(headers: CreateHeaders, span?: SpanContext): RequestContext {
  const values: Record<string, string> = {};
  for (const [name, key] of REQUIRED) {
    const value = headers[name];
    if (!value || !value.trim())
      throw badRequest(`Missing MDC value ${key}: header '${name}' is required and must not be blank`);
    values[key] = value;
  }
  const echoed: { name: string; value: string }[] = REQUIRED.map(([name, key]) => ({ name, value: values[key] }));
  // Like the Java driver, a request context is generated when the invoker sent none.
  const trace = traceHeaders(headers, span);
  const withDerived: CreateHeaders = {
    ...headers,
    'log-request-context': headers['log-request-context'] ?? String(randomInt(2 ** 47)),
    ...trace,
  };
  for (const name of ECHOED) {
    const value = withDerived[name];
    if (value !== undefined) echoed.push({ name, value });
  }
  const traceparent = withDerived.traceparent;
  return {
    processContext: values.processContext,
    tmp: values.tmp,
    exp: values.exp,
    userId: values.userId,
    headers: echoed,
    ...(traceparent ? { traceparent } : {}),
    ...(trace ? { traceId: trace['trace-id'], spanId: trace['span-id'] } : {}),
  };
}
