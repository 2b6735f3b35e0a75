// The OpenTelemetry SDK, started once per process before anything it should see (src/main.ts, the test driver).
// Off unless configured (tracing-settings.ts): then nothing is registered and every caller gets null.
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { version } from '../../package.json';
import { tracingSettings, type TracingSettings } from './tracing-settings';

/** What the REST adapter, the Temporal client and the worker need when tracing is on. */
export interface Tracing {
  tracer: Tracer;
  /** Where workflow spans (built in the sandbox, handed out through a sink) join the process's spans. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Exports what is still buffered; called on shutdown. */
  shutdown(): Promise<void>;
}

function sampler(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function exporter(settings: TracingSettings): SpanExporter {
  if (settings.exporter === 'console') return new ConsoleSpanExporter();
  // Headers, timeout and compression come from the standard OTEL_EXPORTER_OTLP_* variables, read by the exporter.
  const url = settings.url!;
  return settings.protocol === 'http/json' ? new JsonExporter({ url }) : new ProtobufExporter({ url });
}

/**
 * Starts tracing when the environment configures it; null (and nothing started) otherwise. `onError` hears of
 * exports that failed (a collector down): spans are dropped then, requests never wait for it.
 */
export function startTracing(
  env: Record<string, string | undefined> = process.env,
  onError?: (error: unknown) => void,
): Tracing | null {
  const settings = tracingSettings(env);
  if (!settings) return null;
  if (onError) setGlobalErrorHandler(onError);
  // OTEL_RESOURCE_ATTRIBUTES first, the service's own name and version over it.
  const resource = Resource.default()
    .merge(detectResourcesSync({ detectors: [envDetectorSync] }))
    .merge(new Resource({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: version }));
  // Batched: a request never waits for an export (OTEL_BSP_* tune the batch).
  const spanProcessor = new BatchSpanProcessor(exporter(settings));
  const provider = new BasicTracerProvider({ resource, sampler: sampler(settings), spanProcessors: [spanProcessor] });
  // Global: the Temporal interceptors read the propagator and the active context through @opentelemetry/api.
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  return {
    tracer: provider.getTracer('environment-driver', version),
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
