// The standard OTEL_* variables: tracing is off unless an endpoint or exporter asks for it; bad values name the
// variable.
import { tracingSettings } from '../../src/telemetry/tracing-settings';

describe('tracing settings', () => {
  it('is off when nothing is set, when the exporter is none, and when the SDK is disabled', () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' })).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });

  it('exports OTLP/HTTP protobuf to <endpoint>/v1/traces by default, parent-based always-on', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      exporter: 'otlp',
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'environment-driver',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  it('takes the traces endpoint as is, JSON, a service name and a ratio sampler', () => {
    expect(
      tracingSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'env-driver-prod',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toMatchObject({
      url: 'https://traces.example.com/otlp',
      protocol: 'http/json',
      serviceName: 'env-driver-prod',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ exporter: 'console', url: null });
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER: 'zipkin'/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /PROTOCOL: 'grpc'/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER:/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '2' }, /OTEL_TRACES_SAMPLER_ARG/],
  ])('refuses %j', (env, message) => {
    expect(() => tracingSettings(env)).toThrow(message);
  });
});
