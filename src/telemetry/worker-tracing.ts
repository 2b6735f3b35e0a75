// The worker's share of tracing: the workflow span (built in the sandbox by workflows/trace-context.ts, handed out
// through the `exporter` sink) and activity spans, each continuing the context carried in Temporal headers.
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/**
 * Workflow interceptor modules a bundle needs for tracing (bundleWorkflowCode's workflowInterceptorModules): ours,
 * which carry the context to the activities under one RunWorkflow span (workflows/trace-context.ts says why not
 * the package's workflow interceptors).
 */
export const TRACING_WORKFLOW_MODULES: string[] = [require.resolve('../../workflows/trace-context')];

/**
 * `bundled`: the workflow code is a prebuilt bundle (tests, benchmark), which must hold TRACING_WORKFLOW_MODULES
 * when tracing is on; one that holds them with tracing off gets a sink that drops the spans. A bundle built at
 * start holds them only when tracing is on: the interceptors are not free (every promise in the sandbox records a
 * stack trace for Temporal's stack-trace query, and they add promises), so a driver without tracing runs without.
 */
export function workerTracing(
  tracing: Tracing | null,
  bundled: boolean,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!tracing) {
    const sinks: InjectedSinks<any> = { exporter: { export: { fn: () => {} } } };
    return bundled ? { sinks } : {};
  }
  const { tracer } = tracing;
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(bundled ? {} : { workflowModules: TRACING_WORKFLOW_MODULES }),
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
