// Durability: the worker process running an environment's readiness wait dies (SIGKILL, no shutdown hook).
// Another worker takes the wait over once the heartbeat times out (3 s in the test settings), and the
// invoker still gets exactly one SUCCESS callback. The Java driver lost the monitor and never called back.
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { markPodRunning } from '../support/kubelet';
import { call, createBody, remainingObjects, serviceAddress } from '../support/invoker';
import { activityStarts, awaitActivityRunning } from '../support/observe';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

describe('a worker killed while an environment is Starting', () => {
  let driver: TestDriver;
  let child: WorkerProcess | undefined;
  beforeAll(async () => {
    // Only the REST adapter runs in this process; the first worker is a child process.
    driver = await startDriver({ worker: false });
  });
  afterAll(async () => {
    await child?.kill();
    await driver?.stop();
  });

  it('is taken over by a new worker and calls back SUCCESS exactly once', async () => {
    child = startWorkerProcess(driver.env);
    const receiver = await startCallbackReceiver();
    let agent: Awaited<ReturnType<typeof startBuildAgent>> | undefined;
    try {
      await child.ready();
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
      if (created.status !== 200)
        throw new Error(`/create answered ${created.status}: ${created.text}\n${child.output()}`);
      const { environmentId } = created.json;
      const names = environmentNames('azq3l5f6dbaaa', environmentId);

      const running = await awaitActivityRunning(driver.client, environmentId, 'awaitEnvironmentReady');
      expect(running.workerIdentity.startsWith(`${child.pid}@`)).toBe(true);
      await child.kill();

      // The environment becomes ready while no worker is alive.
      const { ip, port } = await serviceAddress(driver.kube, environmentId);
      agent = await startBuildAgent(ip, port);
      await markPodRunning(driver.kube, names.podName);
      const worker = await driver.startWorker();

      const callback = await receiver.next(1);
      expect(JSON.parse(callback.body)).toEqual({
        environmentBaseUri: `http://${ip}:${port}/pnc-ba-${environmentId}`,
        workingDirectory: '/tmp',
        sshPassword: '',
        status: 'SUCCESS',
      });
      // The wait that concluded ran on the new worker, as a retry of the child's attempt.
      const starts = await activityStarts(driver.client, environmentId, 'awaitEnvironmentReady');
      expect(starts).toHaveLength(1); // history records the attempt that completed
      expect(starts[0].workerIdentity).toBe(worker.options.identity);
      expect(starts[0].attempt).toBeGreaterThanOrEqual(2);

      // Run the environment to its end: once the workflow is over no callback can follow, so one means one.
      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(receiver.received).toHaveLength(1);
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });
});
