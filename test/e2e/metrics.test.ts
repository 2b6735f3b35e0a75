// Prometheus metrics an operator would alert on: /create outcomes and latency, readiness by cause, callback
// attempts, deletions, and environments per phase as Temporal visibility counts them.
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, eventually } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';

function sample(text: string, metric: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(metric.length + 1));
}

describe('/metrics', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it('counts what happened to an environment and how many are in each phase', async () => {
    const receiver = await startCallbackReceiver();
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    const metrics = async () => {
      const reply = await fetch(`${driver.baseUrl}/metrics`);
      expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
      return reply.text();
    };
    try {
      const ready = await eventually('Ready counted by visibility', async () => {
        const text = await metrics();
        return sample(text, 'environment_driver_environments{phase="Ready"}') === 1 && text;
      });
      expect(sample(ready, 'environment_driver_create_duration_seconds_count{outcome="200"}')).toBe(1);
      expect(sample(ready, 'environment_driver_readiness_total{status="SUCCESS",cause="Ready"}')).toBe(1);
      expect(sample(ready, 'environment_driver_callback_attempts_total{status="SUCCESS",delivered="true"}')).toBe(1);
      expect(sample(ready, 'environment_driver_environments{phase="Starting"}')).toBe(0);

      await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
      await driver.client.workflow.getHandle(environmentId).result();
      const done = await metrics();
      expect(sample(done, 'environment_driver_objects_deleted_total{by="destroy"}')).toBe(2); // pod and service
      expect((await call(driver.baseUrl, 'POST', '/create', { imageId: 5 })).status).toBe(400);
      expect(sample(await metrics(), 'environment_driver_create_duration_seconds_count{outcome="400"}')).toBe(1);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });
});
