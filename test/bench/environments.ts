// What the benchmark does to environments, as the invoker and the "kubelet" would: create over REST, make
// ready (agent on the Service's cluster IP, pod Running), receive the callback, complete and await destroy.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import { startBuildAgent } from '../support/fakes';
import { call, createBody, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import { statusQuery } from '../../workflows/definitions';
import { environmentNames } from '../../workflows/names';
import { withTimeout } from './stats';

export interface Callback {
  /** performance.now() when the request body was complete. */
  at: number;
  body: string;
}

/** The invoker's callback endpoint: one URL per key, each await-able with a high-resolution arrival time. */
export async function startTimedReceiver() {
  const arrived = new Map<string, Callback>();
  const waiting = new Map<string, (callback: Callback) => void>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const callback = { at: performance.now(), body };
      res.writeHead(204).end();
      const key = decodeURIComponent(req.url!.replace(/^\/cb\//, ''));
      arrived.set(key, callback);
      waiting.get(key)?.(callback);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (key: string) => `http://127.0.0.1:${port}/cb/${encodeURIComponent(key)}`,
    wait(key: string, timeoutMs: number): Promise<Callback> {
      const done = arrived.get(key);
      if (done) return Promise.resolve(done);
      return withTimeout(
        new Promise<Callback>((resolve) => waiting.set(key, resolve)),
        timeoutMs,
        `callback ${key}`,
      ).finally(() => waiting.delete(key));
    },
    forget: (key: string) => arrived.delete(key),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startTimedReceiver>>;

/** POST /create as the invoker sends it; returns the environment id. */
export async function createEnvironment(driver: TestDriver, callbackUrl: string, timeoutMs = 30_000): Promise<string> {
  const created = await withTimeout(
    call(driver.baseUrl, 'POST', '/create', createBody(callbackUrl)),
    timeoutMs,
    'POST /create',
  );
  if (created.status !== 200) throw new Error(`POST /create: ${created.status} ${created.text}`);
  return created.json.environmentId as string;
}

/** Starts the fake build agent where the driver will ping it (the Service's cluster IP and port). */
export async function startAgentFor(driver: TestDriver, environmentId: string) {
  const { ip, port } = await withTimeout(serviceAddress(driver.kube, environmentId), 10_000, 'read Service');
  return withTimeout(startBuildAgent(ip, port), 5_000, `agent on ${ip}:${port}`);
}

/** Plays the kubelet; resolves with performance.now() right after the status patch returned. */
export async function markRunning(driver: TestDriver, environmentId: string): Promise<number> {
  await withTimeout(
    markPodRunning(driver.kube, environmentNames('', environmentId).podName),
    10_000,
    'pod status patch',
  );
  return performance.now();
}

export interface BringUp {
  id: string;
  /** POST /create. */
  createMs: number;
  /** Reading the Service and starting the fake agent (the benchmark's own work). */
  agentMs: number;
  /** Pod status patch returned → SUCCESS callback received. */
  readyMs: number;
}

/** create → agent up → pod Running → SUCCESS callback; the agent stops once it has answered the ping. */
export async function bringUp(driver: TestDriver, receiver: Receiver, key: string): Promise<BringUp> {
  const t0 = performance.now();
  const id = await createEnvironment(driver, receiver.url(key));
  const t1 = performance.now();
  const agent = await startAgentFor(driver, id);
  const t2 = performance.now();
  try {
    const t3 = await markRunning(driver, id);
    const callback = await receiver.wait(key, 60_000);
    if ((JSON.parse(callback.body) as { status: string }).status !== 'SUCCESS')
      throw new Error(`${id}: callback ${callback.body}`);
    receiver.forget(key);
    return { id, createMs: t1 - t0, agentMs: t2 - t1, readyMs: callback.at - t3 };
  } finally {
    // Its cluster IP may be handed to a new Service once this one is deleted.
    await agent.stop();
  }
}

/** Waits until the workflow reports `phase` (the readiness activity has started once it is Starting). */
export async function awaitPhase(
  driver: TestDriver,
  environmentId: string,
  phase: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const handle = driver.client.workflow.getHandle(environmentId);
  for (;;) {
    const status = await withTimeout(handle.query(statusQuery), 10_000, `query ${environmentId}`);
    if (status.phase === phase) return;
    if (Date.now() > deadline)
      throw new Error(`${environmentId}: phase ${status.phase}, not ${phase} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PUT /complete (or /cancel) and wait until the workflow has destroyed everything and finished. */
export async function finishEnvironment(
  driver: TestDriver,
  environmentId: string,
  how: 'complete' | 'cancel',
  timeoutMs = 60_000,
): Promise<void> {
  const response =
    how === 'complete'
      ? await withTimeout(call(driver.baseUrl, 'PUT', '/complete', { environmentId }), 10_000, 'PUT /complete')
      : await withTimeout(call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`), 10_000, 'PUT /cancel');
  if (response.status !== 200) throw new Error(`PUT /${how} ${environmentId}: ${response.status} ${response.text}`);
  const result = await withTimeout(
    driver.client.workflow.getHandle(environmentId).result(),
    timeoutMs,
    `${environmentId} to finish`,
  );
  if ((result as { phase?: string }).phase !== 'Destroyed')
    throw new Error(`${environmentId} ended in ${JSON.stringify(result)}`);
}
