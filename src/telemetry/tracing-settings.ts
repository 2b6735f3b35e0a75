// OpenTelemetry's standard environment variables (the SDK specification's names, read by every OTel SDK), reduced
// to what the driver supports. Tracing is off unless an exporter endpoint (or an explicit exporter) is configured.
import { ConfigError } from '../config/sources';

export type TraceSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface TracingSettings {
  exporter: 'otlp' | 'console';
  /** OTLP/HTTP traces URL (`…/v1/traces`); null for the console exporter. */
  url: string | null;
  protocol: 'http/protobuf' | 'http/json';
  serviceName: string;
  sampler: TraceSampler;
  /** Ratio of the `traceidratio` samplers, in [0, 1]. */
  samplerRatio: number;
}

const SAMPLERS: readonly TraceSampler[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/**
 * | variable | default | meaning |
 * |---|---|---|
 * | `OTEL_EXPORTER_OTLP_ENDPOINT` | none: tracing off | OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces` |
 * | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | none | full traces URL, instead of the above |
 * | `OTEL_EXPORTER_OTLP_PROTOCOL` (`_TRACES_PROTOCOL`) | `http/protobuf` | or `http/json` (gRPC is not supported) |
 * | `OTEL_TRACES_EXPORTER` | `otlp` when an endpoint is set | `none` turns tracing off, `console` prints spans |
 * | `OTEL_SERVICE_NAME` | `environment-driver` | `service.name` of every span |
 * | `OTEL_TRACES_SAMPLER`, `_ARG` | `parentbased_always_on` | the standard samplers |
 * | `OTEL_SDK_DISABLED` | `false` | `true` turns tracing off |
 */
/** The variables above, for the checks that deployments set only what the driver reads. */
export const TRACING_ENVIRONMENT_VARIABLES: readonly string[] = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_TRACES_EXPORTER',
  'OTEL_SERVICE_NAME',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_SDK_DISABLED',
];

export function tracingSettings(env: Record<string, string | undefined>): TracingSettings | null {
  const get = (name: string) => env[name]?.trim() || undefined;
  if (get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return null;
  const tracesUrl = get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseUrl = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  const exporter = get('OTEL_TRACES_EXPORTER')?.toLowerCase() ?? (tracesUrl || baseUrl ? 'otlp' : 'none');
  if (exporter === 'none') return null;
  if (exporter !== 'otlp' && exporter !== 'console') {
    throw new ConfigError(`OTEL_TRACES_EXPORTER: '${exporter}' is not supported (otlp, console or none)`);
  }
  const url =
    exporter === 'console'
      ? null
      : (tracesUrl ?? `${(baseUrl ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`);
  if (url !== null) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT: '${url}' is not a URL`);
    }
  }
  const protocol = get('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? get('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL: '${protocol}' is not supported (http/protobuf or http/json)`);
  }
  const sampler = (get('OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on') as TraceSampler;
  if (!SAMPLERS.includes(sampler)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER: '${sampler}' is not supported (${SAMPLERS.join(', ')})`);
  }
  const ratioText = get('OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioText === undefined ? 1 : Number(ratioText);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG: '${ratioText}' is not a ratio between 0 and 1`);
  }
  return {
    exporter,
    url,
    protocol,
    serviceName: get('OTEL_SERVICE_NAME') ?? 'environment-driver',
    sampler,
    samplerRatio,
  };
}
