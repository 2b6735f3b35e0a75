// cancel.headers carry the trace fields the Java driver's MDC held (contract §0, §1.1): from the invoker's
// traceparent, or from the request's own span when that header is missing and tracing is on.
import { createTraceState, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { requestContext } from '../../src/api/request-context';

const REQUIRED = { 'log-process-context': 'build-1', 'log-tmp': 'false', 'log-exp': 'never', 'log-user-id': '42' };
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SPAN: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  traceState: createTraceState('env=1'),
};
const traceHeaders = (headers: { name: string; value: string }[]) => headers.slice(-5);

describe('trace fields of a /create request', () => {
  it("come from the invoker's traceparent, after the log headers; tracestate may be empty", () => {
    const context = requestContext({ ...REQUIRED, 'log-request-context': '7', traceparent: TRACEPARENT }, SPAN);
    expect(context.headers.map((h) => h.name)).toEqual([
      'log-process-context',
      'log-tmp',
      'log-exp',
      'log-user-id',
      'log-request-context',
      'trace-id',
      'span-id',
      'trace-flags',
      'traceparent',
      'tracestate',
    ]);
    expect(traceHeaders(context.headers).map((h) => h.value)).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '00f067aa0ba902b7',
      '01',
      TRACEPARENT,
      '',
    ]);
    expect(context).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
  });

  it("replace an invoker's own trace-id/span-id headers, and keep its tracestate", () => {
    const headers = {
      ...REQUIRED,
      'trace-id': 'stale',
      'span-id': 'stale',
      traceparent: TRACEPARENT,
      tracestate: 'a=b',
    };
    const values = traceHeaders(requestContext(headers).headers).map((h) => h.value);
    expect(values).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', '01', TRACEPARENT, 'a=b']);
  });

  it('come from the server span when no traceparent came', () => {
    const context = requestContext(REQUIRED, SPAN);
    expect(traceHeaders(context.headers)).toEqual([
      { name: 'trace-id', value: SPAN.traceId },
      { name: 'span-id', value: SPAN.spanId },
      { name: 'trace-flags', value: '01' },
      { name: 'traceparent', value: `00-${SPAN.traceId}-${SPAN.spanId}-01` },
      { name: 'tracestate', value: 'env=1' },
    ]);
    expect(context.traceparent).toBe(`00-${SPAN.traceId}-${SPAN.spanId}-01`);
  });

  it('are absent without a traceparent and without tracing; a non-W3C traceparent is echoed as is', () => {
    expect(requestContext(REQUIRED).headers.map((h) => h.name)).not.toContain('trace-id');
    const odd = requestContext({ ...REQUIRED, traceparent: 'not-w3c' });
    expect(odd.headers.filter((h) => h.name.startsWith('trace'))).toEqual([{ name: 'traceparent', value: 'not-w3c' }]);
    expect(odd.traceId).toBeUndefined();
  });
});
