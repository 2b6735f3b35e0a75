// The worker's share of tracing: workflow spans (built in the sandbox by the workflow interceptors, handed out
// through the `exporter` sink) and activity spans, each continuing the context carried in Temporal headers.
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/** Workflow interceptor modules a bundle needs for workflow spans (bundleWorkflowCode's workflowInterceptorModules). */
export const TRACING_WORKFLOW_MODULES: string[] = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/**
 * `bundled`: the workflow code is a prebuilt bundle (tests, benchmark), which always holds the interceptors; its
 * sink must exist even with tracing off (then it drops the spans). A bundle built at start holds them only when
 * tracing is on.
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
