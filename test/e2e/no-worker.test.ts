// /create is bounded: with no worker to create the pod and service, the invoker gets a retryable 503 instead
// of a request that never ends, and the withdrawn environment never comes to life later.
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody } from '../support/invoker';
import { namespaceObjects } from '../support/observe';

describe('/create without a worker', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ worker: false, env: { ENVIRONMENT_DRIVER_HTTP_CLIENT_REQUEST_TIMEOUT: '1' } });
  });
  afterAll(() => driver?.stop());

  it('answers 503 TemporarilyUnableToStartException and withdraws the environment', async () => {
    const reply = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    expect(reply).toMatchObject({ status: 503, text: expect.any(String) });
    expect(reply.json).toMatchObject({ errorType: 'TemporarilyUnableToStartException', details: null });
    const environmentId = /environment (\S+) within/.exec(reply.json.errorMessage)![1];
    expect((await driver.client.workflow.getHandle(environmentId).describe()).status.name).toBe('TERMINATED');

    // A worker arriving later finds nothing to do.
    await driver.startWorker();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await namespaceObjects(driver.kube)).toEqual([]);
  });
});
