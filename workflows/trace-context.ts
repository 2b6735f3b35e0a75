// Workflow interceptors for tracing (bundled only when tracing is on): the trace context the client put in the
// workflow's headers goes on to every activity, under one RunWorkflow span per environment. It replaces the
// interceptors-opentelemetry workflow interceptors, which run an OpenTelemetry SDK inside the sandbox and made
// /create ~25 % slower (each of their promises records a stack trace there); this is header copying plus one span
// handed to the worker's exporter sink when the workflow ends. The header and the span are those of
// @temporalio/interceptors-opentelemetry, so its client and activity interceptors continue the same trace.
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import {
  proxySinks,
  workflowInfo,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type Sinks,
  type WorkflowExecuteInput,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** interceptors-opentelemetry's header: a payload holding the W3C carrier (`traceparent`, `tracestate`). */
const TRACE_HEADER = '_tracer-data';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

interface Carrier {
  traceparent?: string;
  tracestate?: string;
}

/** The span as interceptors-opentelemetry's `makeWorkflowExporter` sink takes it (a serialized ReadableSpan). */
interface SerializedSpan {
  name: string;
  kind: number;
  spanContext: { traceId: string; spanId: string; traceFlags: number; traceState?: string };
  parentSpanId: string;
  startTime: [number, number];
  endTime: [number, number];
  duration: [number, number];
  status: { code: number; message?: string };
  attributes: Record<string, string>;
  links: [];
  events: [];
  ended: true;
  droppedAttributesCount: 0;
  droppedEventsCount: 0;
  droppedLinksCount: 0;
  instrumentationLibrary: { name: string };
}

interface ExporterSinks extends Sinks {
  exporter: { export(spans: SerializedSpan[]): void };
}

const SPAN_KIND_INTERNAL = 0;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

function hrTime(ms: number): [number, number] {
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
}

/** 16 hex digits from the sandbox's seeded Math.random: the same on every replay of this run. */
function spanId(): string {
  let id = '';
  while (id.length < 16)
    id += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return id === '0000000000000000' ? '0000000000000001' : id;
}

interface WorkflowSpan {
  traceId: string;
  parentSpanId: string;
  spanId: string;
  flags: string;
  tracestate: string | undefined;
  startedAt: number;
}

function parentOf(headers: Headers): Omit<WorkflowSpan, 'spanId' | 'startedAt'> | null {
  const payload = headers[TRACE_HEADER];
  if (!payload) return null;
  const carrier = defaultPayloadConverter.fromPayload<Carrier>(payload);
  const parsed = TRACEPARENT.exec(carrier?.traceparent ?? '');
  if (!parsed) return null;
  return { traceId: parsed[1], parentSpanId: parsed[2], flags: parsed[3], tracestate: carrier.tracestate };
}

function exportSpan(span: WorkflowSpan, failed: unknown): void {
  const endedAt = Date.now();
  const info = workflowInfo();
  proxySinks<ExporterSinks>().exporter.export([
    {
      name: `RunWorkflow:${info.workflowType}`,
      kind: SPAN_KIND_INTERNAL,
      spanContext: {
        traceId: span.traceId,
        spanId: span.spanId,
        traceFlags: parseInt(span.flags, 16),
        traceState: span.tracestate,
      },
      parentSpanId: span.parentSpanId,
      startTime: hrTime(span.startedAt),
      endTime: hrTime(endedAt),
      duration: hrTime(Math.max(0, endedAt - span.startedAt)),
      status: failed === undefined ? { code: STATUS_OK } : { code: STATUS_ERROR, message: String(failed) },
      attributes: { temporalWorkflowId: info.workflowId, run_id: info.runId },
      links: [],
      events: [],
      ended: true,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
      instrumentationLibrary: { name: '@temporalio/interceptor-workflow' },
    },
  ]);
}

export function interceptors(): WorkflowInterceptors {
  let span: WorkflowSpan | null = null;
  const withContext = <T extends { headers: Headers }>(input: T): T => {
    if (!span || input.headers[TRACE_HEADER]) return input;
    const carrier: Carrier = { traceparent: `00-${span.traceId}-${span.spanId}-${span.flags}` };
    if (span.tracestate) carrier.tracestate = span.tracestate;
    return { ...input, headers: { ...input.headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) } };
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) =>
      next(withContext(input)),
    scheduleLocalActivity: (
      input: LocalActivityInput,
      next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
    ) => next(withContext(input)),
  };
  return {
    inbound: [
      {
        async execute(input: WorkflowExecuteInput, next) {
          const parent = parentOf(input.headers);
          if (!parent) return next(input);
          span = { ...parent, spanId: spanId(), startedAt: Date.now() };
          let failed: unknown = undefined;
          try {
            return await next(input);
          } catch (error) {
            failed = error;
            throw error;
          } finally {
            exportSpan(span, failed);
          }
        },
      },
    ],
    outbound: [outbound],
  };
}
