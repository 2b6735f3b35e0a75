// Graceful shutdown (contract §3.8): once the adapter is stopping, /create gets 503 with no body and starts
// nothing; environments already running are durable and carry on with any worker.
import { join } from 'node:path';
import { freePort } from '../../src/local/processes';
import { startDriver, type TestDriver } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { startHoldingProxy, tokenOf, writeProxyKubeconfig, type HoldingProxy } from '../support/holding-proxy';
import { call, createBody, eventually, remainingObjects, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import { namespaceObjects, workflowIds } from '../support/observe';
import { stackInfo } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

describe('a REST adapter that is shutting down', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it('answers /create with 503 and an empty body, and creates nothing', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      const response = await call(driver.baseUrl, 'POST', '/create', createBody(null));
      expect(response).toMatchObject({ status: 503, text: '' });
      expect(await namespaceObjects(driver.kube)).toEqual([]);
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });

  it('refuses before looking at the request: even a request that would be a 400 gets the 503', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      const response = await call(driver.baseUrl, 'POST', '/create', createBody(null, { podMemoryOverride: 'abc' }));
      expect(response).toMatchObject({ status: 503, text: '' });
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });

  it('still serves /cancel, which the Java driver never gated', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      expect((await call(driver.baseUrl, 'PUT', '/cancel/unknown-abcdef')).status).toBe(200);
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });
});

// The real thing: `npm start` (API + worker in one process) gets SIGTERM while two /create calls are in flight —
// their pod create calls held by a proxy in front of the apiserver, so they are surely mid-way when it arrives.
describe('a driver process that gets SIGTERM with /create calls in flight', () => {
  const GRACE_SECONDS = 3;
  let driver: TestDriver;
  let proxy: HoldingProxy;
  let child: WorkerProcess;
  let baseUrl: string;
  beforeAll(async () => {
    // This process only observes (Temporal client, kube clients) and later runs the second worker.
    // Long request budgets: /create waits for the held calls without giving up on them.
    driver = await startDriver({ worker: false, env: { ENVIRONMENT_DRIVER_HTTP_CLIENT_REQUEST_TIMEOUT: '15' } });
    const stack = stackInfo();
    proxy = await startHoldingProxy(stack.kubeServer, {
      hold: (req) => req.method === 'POST' && /^\/api\/v1\/namespaces\/[^/]+\/pods(\?|$)/.test(req.url ?? ''),
    });
    const file = join(stack.workDir, `sigterm-${driver.kube.namespace}.kubeconfig`);
    const kubeconfig = writeProxyKubeconfig(file, proxy.url, tokenOf(stack.kubeconfig));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = { ...driver.env, KUBECONFIG: kubeconfig, SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) };
    child = startWorkerProcess(env, { role: 'all', port });
    await child.ready();
    await eventually('the API ready', async () => (await call(baseUrl, 'GET', '/q/health/ready')).status === 200);
  });
  afterAll(async () => {
    await child?.kill();
    await proxy?.stop();
    await driver?.stop();
  });

  it('finishes them, answers new ones 503 with no body, exits 0, and another worker carries the environments on', async () => {
    const receiver = await startCallbackReceiver();
    const agents: Awaited<ReturnType<typeof startBuildAgent>>[] = [];
    try {
      const inFlight = [1, 2].map(() => call(baseUrl, 'POST', '/create', createBody(receiver.url())));
      await eventually('both pod creates held at the proxy', async () => proxy.held() === 2);

      child.signal('SIGTERM');
      const shuttingDown = await eventually('readiness DOWN', async () => {
        const ready = await call(baseUrl, 'GET', '/q/health/ready');
        return ready.status === 503 && ready.json;
      });
      expect(shuttingDown.checks).toEqual([expect.objectContaining({ data: { reason: 'shutting down' } })]);
      const refused = await call(baseUrl, 'POST', '/create', createBody(receiver.url()));
      expect(refused).toMatchObject({ status: 503, text: '' });

      proxy.release();
      const created = await Promise.all(inFlight);
      expect(created.map((reply) => [reply.status, reply.text && reply.json.errorType])).toEqual([
        [200, undefined],
        [200, undefined],
      ]);
      const ids: string[] = created.map((reply) => reply.json.environmentId);
      for (const id of ids) {
        expect((await remainingObjects(driver.kube, id)).sort()).toEqual([
          `Pod/pnc-ba-pod-${id}`,
          `Service/pnc-ba-service-${id}`,
        ]);
      }

      // The worker drained and the process ended on its own, cleanly (bounded: grace + the SDK's drain budget).
      const exit = await Promise.race([
        child.exited,
        new Promise((resolve) => setTimeout(() => resolve('still running'), (GRACE_SECONDS + 30) * 1000).unref()),
      ]);
      expect(exit).toBe(0);

      // Another worker takes the environments over: the first becomes Ready, the second is cancelled.
      await driver.startWorker();
      const [ready, cancelled] = ids;
      const { ip, port } = await serviceAddress(driver.kube, ready);
      agents.push(await startBuildAgent(ip, port));
      await markPodRunning(driver.kube, `pnc-ba-pod-${ready}`);
      const success = await receiver.next(1);
      expect(JSON.parse(success.body)).toMatchObject({
        status: 'SUCCESS',
        environmentBaseUri: expect.stringContaining(ready),
      });
      expect(success.headers['idempotency-key']).toBe(`${ready}:SUCCESS`);
      expect((await call(driver.baseUrl, 'PUT', `/cancel/${cancelled}`)).status).toBe(200);
      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId: ready })).status).toBe(200);
      for (const id of ids) {
        expect((await driver.client.workflow.getHandle(id).result()).phase).toBe('Destroyed');
        expect(await remainingObjects(driver.kube, id)).toEqual([]);
      }
      expect(receiver.received.map((r) => r.headers['idempotency-key']).sort()).toEqual(
        [`${cancelled}:CANCELLED`, `${ready}:SUCCESS`].sort(),
      );
      // The refused request started nothing (a workflow of it would have had its objects made by the new worker,
      // and is listed by now, seconds after its start): the driver's workflows are exactly the two environments.
      expect(await namespaceObjects(driver.kube)).toEqual([]);
      expect(await workflowIds(driver)).toEqual([...ids].sort());
    } finally {
      for (const agent of agents) await agent.stop();
      await receiver.stop();
    }
  });
});
