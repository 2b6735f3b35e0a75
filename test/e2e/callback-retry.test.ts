// Callback delivery (contract §2.1): the invoker's method, URI and headers plus the driver's Authorization and an
// Idempotency-Key; anything but 2xx is retried with backoff until the invoker accepts, and then never sent again.
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';

/** Every value sent for a header, as it came over the wire (a repeated header shows up once per value). */
const headerValues = (raw: string[], name: string) =>
  raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === name);

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

  it('sends the same Idempotency-Key on every attempt, refused ones included', async () => {
    const receiver = await startCallbackReceiver({ failFirst: 2, failStatus: 500 });
    let agent: Awaited<ReturnType<typeof readyEnvironment>>['agent'] | undefined;
    try {
      const ready = await readyEnvironment(driver, receiver);
      agent = ready.agent;
      expect(receiver.all).toHaveLength(3);
      const keys = receiver.all.map((request) => headerValues(request.rawHeaders, 'idempotency-key'));
      expect(keys).toEqual(Array(3).fill([`${ready.environmentId}:SUCCESS`]));
      await call(driver.baseUrl, 'PUT', `/cancel/${ready.environmentId}`);
      await driver.client.workflow.getHandle(ready.environmentId).result();
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });

  it('keeps an Idempotency-Key the invoker chose, and sends no second one', async () => {
    const receiver = await startCallbackReceiver();
    let agent: Awaited<ReturnType<typeof readyEnvironment>>['agent'] | undefined;
    try {
      const body = createBody(receiver.url());
      body.completionCallback!.headers.push({ name: 'idempotency-key', value: 'invoker-chosen-7' });
      const ready = await readyEnvironment(driver, receiver, { completionCallback: body.completionCallback });
      agent = ready.agent;
      expect(headerValues(receiver.received[0].rawHeaders, 'idempotency-key')).toEqual(['invoker-chosen-7']);
      await call(driver.baseUrl, 'PUT', `/cancel/${ready.environmentId}`);
      await driver.client.workflow.getHandle(ready.environmentId).result();
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });
});
