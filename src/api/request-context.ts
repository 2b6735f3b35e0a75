// The invoker's MDC headers (contract §0): required on /create, carried into templates and `cancel.headers`.
// Their schema (createHeadersSchema) bounds them; blank required values are refused here, as the Java driver did.
import { randomInt } from 'node:crypto';
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

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export function requestContext(headers: CreateHeaders): RequestContext {
  const values: Record<string, string> = {};
  for (const [name, key] of REQUIRED) {
    const value = headers[name];
    if (!value || !value.trim())
      throw badRequest(`Missing MDC value ${key}: header '${name}' is required and must not be blank`);
    values[key] = value;
  }
  const echoed: { name: string; value: string }[] = REQUIRED.map(([name, key]) => ({ name, value: values[key] }));
  // Like the Java driver, a request context is generated when the invoker sent none.
  const withRequestContext: CreateHeaders = {
    ...headers,
    'log-request-context': headers['log-request-context'] ?? String(randomInt(2 ** 47)),
  };
  for (const name of ECHOED) {
    const value = withRequestContext[name];
    if (value !== undefined) echoed.push({ name, value });
  }
  const traceparent = headers.traceparent;
  const trace = traceparent ? TRACEPARENT.exec(traceparent) : null;
  return {
    processContext: values.processContext,
    tmp: values.tmp,
    exp: values.exp,
    userId: values.userId,
    headers: echoed,
    ...(traceparent ? { traceparent } : {}),
    ...(trace ? { traceId: trace[1], spanId: trace[2] } : {}),
  };
}
