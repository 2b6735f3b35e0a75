// OpenTelemetry into Artifactory: the token minted at create and revoked at destroy are calls of the invoker's
// trace, each a client span under the activity that made it. (A file of its own: its driver has Artifactory on,
// which replaces Indy, and the tracing SDK is registered once per test file.)
import { startFakeArtifactory, type FakeArtifactory } from '../support/artifactory';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, eventually, INVOKER_HEADERS } from '../support/invoker';
import { startOtlpReceiver } from '../support/otlp-receiver';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('tracing into Artifactory', () => {
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let artifactory: FakeArtifactory;
  let driver: TestDriver;
  beforeAll(async () => {
    [otlp, artifactory] = await Promise.all([startOtlpReceiver(), startFakeArtifactory()]);
    driver = await startDriver({
      env: {
        ...artifactory.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await Promise.all([otlp?.stop(), artifactory?.stop()]);
  });

  it('mints and revokes within the invoker trace, under the create and destroy activities', async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null), INVOKER_HEADERS);
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    expect(await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).toMatchObject({ status: 200 });
    expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    expect(artifactory.revokeCounts()).toEqual([1]);

    const parents = Object.fromEntries(
      artifactory.traced.map(({ request, traceparent }) => [request, TRACEPARENT.exec(String(traceparent))]),
    );
    const mint = parents['POST /access/api/v1/tokens'];
    const revoke = parents['DELETE /access/api/v1/tokens/revoke'];
    expect([mint?.[1], revoke?.[1]]).toEqual([TRACE_ID, TRACE_ID]);

    await driver.tracing!.spanProcessor.forceFlush();
    const spans = await eventually('the revoke span exported', async () => {
      const inTrace = otlp.spans.filter((s) => s.traceId === TRACE_ID);
      return inTrace.some((s) => s.spanId === revoke![2]) && inTrace;
    });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentName = (spanId: string) => byId.get(byId.get(spanId)?.parentSpanId ?? '')?.name;
    expect(parentName(mint![2])).toBe('RunActivity:createPodAndService');
    expect(parentName(revoke![2])).toBe('RunActivity:destroyEnvironment');
  });
});
