// Callback delivery (contract §2.1): the invoker's method, URI and headers plus the driver's Authorization;
// anything but 2xx is retried with backoff until the invoker accepts, and then never sent again.
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';

describe('callback delivery', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ env: { CALLBACK_AUTHORIZATION: 'Bearer service-account-token' } });
  });
  afterAll(() => driver?.stop());

  it('retries while the invoker answers 503 and delivers exactly one accepted callback', async () => {
    const receiver = await startCallbackReceiver({ failFirst: 2 });
    let agent: Awaited<ReturnType<typeof readyEnvironment>>['agent'] | undefined;
    try {
      const ready = await readyEnvironment(driver, receiver);
      agent = ready.agent;
      expect(receiver.attempts()).toBeGreaterThanOrEqual(3);
      expect(ready.callback.status).toBe('SUCCESS');

      // Run the environment to its end: afterwards no callback can follow, so the count is final.
      await call(driver.baseUrl, 'PUT', '/complete', { environmentId: ready.environmentId });
      const final = await driver.client.workflow.getHandle(ready.environmentId).result();
      expect(final.result).toEqual({ status: 'SUCCESS', reason: null, delivered: true });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.attempts()).toBe(3);
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });

  it("sends the invoker's headers in order, then the driver's Authorization", async () => {
    const receiver = await startCallbackReceiver();
    let agent: Awaited<ReturnType<typeof readyEnvironment>>['agent'] | undefined;
    try {
      const ready = await readyEnvironment(driver, receiver);
      agent = ready.agent;
      const { method, url, rawHeaders } = receiver.received[0];
      expect([method, url]).toEqual(['POST', '/callback']);
      const pairs = [];
      for (let i = 0; i < rawHeaders.length; i += 2) pairs.push([rawHeaders[i].toLowerCase(), rawHeaders[i + 1]]);
      const ours = pairs.filter(([name]) =>
        ['content-type', 'accept', 'log-process-context', 'authorization'].includes(name),
      );
      expect(ours).toEqual([
        ['content-type', 'application/json'],
        ['accept', 'application/json'],
        ['log-process-context', 'build-AZQ3L5F6DBAAA'],
        ['authorization', 'Bearer service-account-token'],
      ]);
      await call(driver.baseUrl, 'PUT', `/cancel/${ready.environmentId}`);
      const final = await driver.client.workflow.getHandle(ready.environmentId).result();
      expect(final.result?.delivered).toBe(true);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });
});
