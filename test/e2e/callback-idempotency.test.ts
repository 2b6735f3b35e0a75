// Callbacks are delivered at least once: a worker can die after the invoker answered 2xx and before Temporal
// recorded the activity as done, and the retry delivers again. Every delivery of an environment's result carries
// the same Idempotency-Key, so the invoker can apply it once. Here two workers die around two deliveries.
import { reaperScheduleId } from '../../src/temporal/reaper-schedule';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call } from '../support/invoker';
import { activityStarts } from '../support/observe';
import { readyEnvironment } from '../support/ready-environment';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

describe('a callback whose worker dies around the delivery', () => {
  let driver: TestDriver;
  const children: WorkerProcess[] = [];
  beforeAll(async () => {
    // Only the REST adapter runs in this process; the first two workers are child processes.
    // A long callback budget: a child worker takes seconds to start on a busy machine.
    driver = await startDriver({ worker: false, env: { ENVIRONMENT_DRIVER_CALLBACK_RETRY_DURATION: '300' } });
  });
  afterAll(async () => {
    for (const child of children) await child.kill();
    await driver?.client.schedule
      .getHandle(reaperScheduleId(driver.config.temporal.taskQueue))
      .delete()
      .catch(() => undefined);
    await driver?.stop();
  });

  it('is delivered again by the next worker, always with the one key of the environment', async () => {
    const start = async () => {
      const child = startWorkerProcess(driver.env);
      children.push(child);
      await child.ready();
      return child;
    };
    const receiver = await startCallbackReceiver({
      // Delivery 1: the worker is frozen, then answered 2xx, then killed — it got the 2xx but could not record it.
      // Delivery 2: the worker is killed on receipt, before any answer.
      beforeAnswer: async (n) => {
        if (n === 1) await children[0].freeze();
        if (n === 2) await children[1].kill();
      },
      afterAnswer: async (n) => {
        if (n === 1) await children[0].kill();
      },
    });
    let agent: Awaited<ReturnType<typeof readyEnvironment>>['agent'] | undefined;
    try {
      await start();
      const ready = await readyEnvironment(driver, receiver);
      agent = ready.agent;
      const { environmentId } = ready;
      await children[0].exited;

      await start();
      await receiver.next(2, 120_000);
      await children[1].exited;

      const worker = await driver.startWorker();
      await receiver.next(3, 120_000);

      // Run the environment to its end: once the workflow is over no callback can follow, so the count is final.
      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.result).toEqual({ status: 'SUCCESS', reason: null, delivered: true });
      // The attempt that completed ran on the in-process worker, after the two that died.
      const starts = await activityStarts(driver.client, environmentId, 'sendCallback');
      expect(starts).toEqual([{ attempt: expect.any(Number), workerIdentity: worker.options.identity }]);
      expect(starts[0].attempt).toBeGreaterThanOrEqual(3);

      expect(receiver.all.length).toBeGreaterThanOrEqual(3);
      const keys = receiver.all.map((request) => request.headers['idempotency-key']);
      expect(new Set(keys)).toEqual(new Set([`${environmentId}:SUCCESS`]));
      expect(new Set(receiver.all.map((request) => request.body)).size).toBe(1);
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });
});
