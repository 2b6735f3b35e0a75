// OpenTelemetry: the invoker's traceparent continues through REST → workflow → activities → outbound calls, and
// the spans reach an OTLP/HTTP receiver as one trace. Tracing is configured by the standard OTEL_* variables.
import { Worker } from '@temporalio/worker';
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { startBuildAgent, startCallbackReceiver, startFakeIndy } from '../support/fakes';
import { call, createBody, eventually, INVOKER_HEADERS, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import { startFakeBifrost } from '../support/fake-bifrost';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { stackInfo } from '../support/stack';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INVOKER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracing with OpenTelemetry', () => {
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let indy: Awaited<ReturnType<typeof startFakeIndy>>;
  let bifrost: Awaited<ReturnType<typeof startFakeBifrost>>;
  let driver: TestDriver;
  /** The environment of the first test, whose history the replay test takes. */
  let tracedEnvironmentId = '';
  beforeAll(async () => {
    [otlp, indy, bifrost] = await Promise.all([startOtlpReceiver(), startFakeIndy(), startFakeBifrost()]);
    driver = await startDriver({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'environment-driver-test',
        INDY_URL: indy.url,
        BIFROST_UPLOADER_API_URL: bifrost.url,
      },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await Promise.all([otlp?.stop(), indy?.stop(), bifrost?.stop()]);
  });

  it('runs one trace from the invoker through the workflow and its activities to Indy, Bifrost and the callback', async () => {
    const receiver = await startCallbackReceiver();
    const headers = { ...INVOKER_HEADERS, tracestate: 'dingrogu=1' };
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()), headers);
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    tracedEnvironmentId = environmentId;
    // As the Java driver's reply: the MDC's trace fields, from the invoker's traceparent.
    expect(created.json.cancel.headers.slice(-5)).toEqual([
      { name: 'trace-id', value: TRACE_ID },
      { name: 'span-id', value: INVOKER_SPAN },
      { name: 'trace-flags', value: '01' },
      { name: 'traceparent', value: INVOKER_HEADERS.traceparent },
      { name: 'tracestate', value: 'dingrogu=1' },
    ]);

    const { ip, port } = await serviceAddress(driver.kube, environmentId);
    const agent = await startBuildAgent(ip, port);
    let callback;
    try {
      await markPodRunning(driver.kube, environmentNames('azq3l5f6dbaaa', environmentId).podName);
      callback = await receiver.next(1);
      expect(JSON.parse(callback.body).status).toBe('SUCCESS');
      expect(await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).toMatchObject({ status: 200 });
      expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    } finally {
      await agent.stop();
      await receiver.stop();
    }

    // The services called carry a traceparent of the invoker's trace (not the invoker's own span).
    const callbackParent = TRACEPARENT.exec(String(callback.headers.traceparent));
    const indyParent = TRACEPARENT.exec(String(indy.requests[0]?.headers.traceparent));
    // The final log carries the invoker's MDC headers, but its traceparent is the upload's own span.
    const bifrostParent = TRACEPARENT.exec(String(bifrost.uploads[0]?.headers.traceparent));
    expect(callbackParent?.[1]).toBe(TRACE_ID);
    expect(indyParent?.[1]).toBe(TRACE_ID);
    expect(bifrostParent?.[1]).toBe(TRACE_ID);
    expect(bifrostParent?.[2]).not.toBe(INVOKER_SPAN);

    await driver.tracing!.spanProcessor.forceFlush();
    const spans = await eventually('the callback and workflow spans exported', async () => {
      await driver.tracing!.spanProcessor.forceFlush();
      const inTrace = otlp.spans.filter((s) => s.traceId === TRACE_ID);
      const complete =
        inTrace.some((s) => s.spanId === callbackParent![2]) && inTrace.some((s) => s.name.startsWith('RunWorkflow:'));
      return complete && inTrace;
    });
    expect(otlp.refused).toEqual([]);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const named = (name: string | RegExp): ReceivedSpan => {
      const found = spans.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)));
      if (found.length !== 1) throw new Error(`${found.length} spans named ${name}: ${spans.map((s) => s.name)}`);
      return found[0];
    };
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);

    const rest = named('POST /create');
    expect(rest).toMatchObject({ parentSpanId: INVOKER_SPAN, kind: 2, serviceName: 'environment-driver-test' });
    // /create starts the workflow with its `created` update (update-with-start).
    const start = named('UpdateWithStartWorkflow:created');
    expect(parentOf(start)).toBe(rest);
    const run = named(/^RunWorkflow:/);
    expect(parentOf(run)).toBe(start);
    expect(run.attributes).toMatchObject({ temporalWorkflowId: environmentId });
    for (const activity of ['createPodAndService', 'awaitEnvironmentReady', 'sendCallback', 'destroyEnvironment'])
      expect(parentOf(named(`RunActivity:${activity}`))).toBe(run);
    // Each outbound call is a client span under its activity, and the one the service saw.
    const callbackSpan = byId.get(callbackParent![2])!;
    expect(callbackSpan).toMatchObject({ name: 'POST', kind: 3, attributes: { 'http.response.status_code': 204 } });
    expect(callbackSpan.attributes['url.full']).toBe(receiver.url());
    expect(parentOf(callbackSpan)).toBe(named('RunActivity:sendCallback'));
    const indySpan = byId.get(indyParent![2])!;
    expect(indySpan).toMatchObject({ name: 'POST', kind: 3 });
    expect(parentOf(indySpan)).toBe(named('RunActivity:createPodAndService'));
    expect(parentOf(byId.get(bifrostParent![2])!)).toBe(named('RunActivity:sendCallback'));
  });

  it('replays a traced history without the tracing interceptors, so tracing can be switched off any time', async () => {
    expect(tracedEnvironmentId).not.toBe('');
    const history = await driver.client.workflow.getHandle(tracedEnvironmentId).fetchHistory();
    const replayed = Worker.runReplayHistories({ workflowBundle: { codePath: stackInfo().workflowBundlePath } }, [
      { workflowId: tracedEnvironmentId, history },
    ]);
    const errors: string[] = [];
    for await (const result of replayed) if (result.error) errors.push(result.error.message);
    expect(errors).toEqual([]);
  });

  it('answers trace fields from its own span when the invoker sent no traceparent', async () => {
    const { traceparent: _none, ...headers } = INVOKER_HEADERS;
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null), headers);
    expect(created.status).toBe(200);
    const fields = Object.fromEntries(
      created.json.cancel.headers.map((h: { name: string; value: string }) => [h.name, h.value]),
    );
    const [, traceId, spanId] = TRACEPARENT.exec(fields.traceparent) ?? [];
    expect(fields).toMatchObject({ 'trace-id': traceId, 'span-id': spanId, 'trace-flags': '01', tracestate: '' });
    expect(await call(driver.baseUrl, 'PUT', `/cancel/${created.json.environmentId}`)).toMatchObject({ status: 200 });
    await driver.client.workflow.getHandle(created.json.environmentId).result();

    await driver.tracing!.spanProcessor.forceFlush();
    const rest = await eventually('the /create span exported', async () => otlp.spans.find((s) => s.spanId === spanId));
    expect(rest).toMatchObject({ traceId, name: 'POST /create', parentSpanId: '', kind: 2 });
  });
});
