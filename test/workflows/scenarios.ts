// The lives an environment can have, driven through the real REST adapter, worker, Temporal and apiserver. The
// replay tier records their histories (fresh on every run, committed ones from earlier versions in
// test/fixtures/histories) and replays them against today's workflow code.
import type { Server } from 'node:net';
import { mergePatch } from '../../activities/k8s/client';
import { completeSignal } from '../../workflows/definitions';
import { environmentNames } from '../../workflows/names';
import type { TestDriver } from '../support/driver';
import type { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, serviceAddress } from '../support/invoker';
import { markContainerWaiting, markPodRunning } from '../support/kubelet';
import { readyEnvironment } from '../support/ready-environment';
import { listenTcp, sshNodePort } from '../support/sshd';

type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;
/** Drives one environment to the end of its life; returns its id (the workflow id). */
export type Scenario = (driver: TestDriver, receiver: Receiver) => Promise<string>;

const LABEL = 'azq3l5f6dbaaa';

async function create(driver: TestDriver, receiver: Receiver): Promise<string> {
  const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
  if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
  return created.json.environmentId as string;
}

async function failsWith(driver: TestDriver, receiver: Receiver, reason: string): Promise<string> {
  const id = await create(driver, receiver);
  await markContainerWaiting(driver.kube, environmentNames(LABEL, id).podName, reason);
  return id;
}

/** Plays sshd on the NodePort the apiserver gave the environment's ssh service. */
async function sshd(driver: TestDriver, sshServiceName: string): Promise<Server> {
  return listenTcp(await sshNodePort(driver.kube, sshServiceName));
}

async function debugState(driver: TestDriver, id: string, state: 'Ready' | 'Failed'): Promise<void> {
  await eventually(`debug ${state}`, async () => {
    const status = (await call(driver.baseUrl, 'GET', `/environments/${id}`)).json;
    return status?.debug?.state === state;
  });
}

/** Scenarios for a driver with the test settings (TEST_SETTINGS) and a debug host of 127.0.0.1. */
export const standardScenarios: Record<string, Scenario> = {
  async happy(driver, receiver) {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
    await driver.client.workflow.getHandle(environmentId).result();
    await agent.stop();
    return environmentId;
  },
  async 'cancelled-starting'(driver, receiver) {
    const id = await create(driver, receiver);
    await call(driver.baseUrl, 'PUT', `/cancel/${id}`);
    return id;
  },
  async 'cancelled-ready'(driver, receiver) {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
    await driver.client.workflow.getHandle(environmentId).result();
    await agent.stop();
    return environmentId;
  },
  'err-image-pull': (driver, receiver) => failsWith(driver, receiver, 'ErrImagePull'),
  'invalid-image-name': (driver, receiver) => failsWith(driver, receiver, 'InvalidImageName'),
  'crash-loop': (driver, receiver) => failsWith(driver, receiver, 'CrashLoopBackOff'),
  async 'agent-timeout'(driver, receiver) {
    const id = await create(driver, receiver);
    await serviceAddress(driver.kube, id);
    await markPodRunning(driver.kube, environmentNames(LABEL, id).podName);
    return id; // no agent listens: the ping budget runs out → FAILED
  },
  // Debug through the `complete` signal, as an operator does with the CLI.
  async 'debug-signal'(driver, receiver) {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const handle = driver.client.workflow.getHandle(environmentId);
    await handle.signal(completeSignal, { enableDebug: true });
    const server = await sshd(driver, names.sshServiceName);
    await debugState(driver, environmentId, 'Ready');
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
    await handle.result();
    await agent.stop();
    server.close();
    return environmentId;
  },
  async 'debug-signal-failed'(driver, receiver) {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    const handle = driver.client.workflow.getHandle(environmentId);
    await handle.signal(completeSignal, { enableDebug: true });
    await debugState(driver, environmentId, 'Failed'); // nothing listens on the NodePort
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
    await handle.result();
    await agent.stop();
    return environmentId;
  },
  // Debug through REST: the status query guards, the `debug` Update runs the branch and answers.
  async 'debug-update'(driver, receiver) {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const reply = call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    const server = await sshd(driver, names.sshServiceName);
    const answered = await reply;
    if (answered.status !== 200) throw new Error(`debug answered ${answered.status}: ${answered.text}`);
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
    await driver.client.workflow.getHandle(environmentId).result();
    await agent.stop();
    server.close();
    return environmentId;
  },
  async 'debug-update-failed'(driver, receiver) {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    const answered = await call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    if (answered.status !== 500) throw new Error(`expected 500 without sshd, got ${answered.status}`);
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
    await driver.client.workflow.getHandle(environmentId).result();
    await agent.stop();
    return environmentId;
  },
};

/** Scenarios for a driver with short lifetimes (SHORT_LIFE_SETTINGS), run one after another in its namespace. */
export const shortLifeScenarios: Record<string, Scenario> = {
  async 'lifetime-expired'(driver, receiver) {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    await driver.client.workflow.getHandle(environmentId).result(); // nobody completes it
    await agent.stop();
    return environmentId;
  },
  async 'debug-lease-expired'(driver, receiver) {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const handle = driver.client.workflow.getHandle(environmentId);
    await handle.signal(completeSignal, { enableDebug: true });
    const server = await sshd(driver, names.sshServiceName);
    await handle.result(); // the lease runs out
    await agent.stop();
    server.close();
    return environmentId;
  },
  'pod-running-timeout': (driver, receiver) => create(driver, receiver),
  async 'quota-refused'(driver, receiver) {
    const { core, namespace } = driver.kube;
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'builds' }, spec: { hard: { 'limits.memory': '1Gi' } } },
    });
    const body = { status: { hard: { 'limits.memory': '1Gi' }, used: { 'limits.memory': '0' } } };
    await core.patchNamespacedResourceQuotaStatus({ name: 'builds', namespace, body }, mergePatch);
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    if (created.status !== 503) throw new Error(`expected 503 over quota, got ${created.status}: ${created.text}`);
    const listed = await eventually('the refused environment in visibility', async () => {
      for await (const workflow of driver.client.workflow.list({
        query: `TaskQueue = '${driver.config.temporal.taskQueue}' AND ExecutionStatus = 'Completed'`,
      }))
        if (!Object.values(recordedIds).includes(workflow.workflowId)) return workflow.workflowId;
      return undefined;
    });
    return listed;
  },
};

/** Ids of the short-life scenarios already recorded, so the quota scenario finds its own workflow. */
const recordedIds: Record<string, string> = {};

export async function runShortLifeScenarios(driver: TestDriver, receiver: Receiver): Promise<Record<string, string>> {
  for (const [name, scenario] of Object.entries(shortLifeScenarios)) {
    recordedIds[name] = await scenario(driver, receiver);
    await driver.client.workflow.getHandle(recordedIds[name]).result();
  }
  return { ...recordedIds };
}

export const SHORT_LIFE_SETTINGS: Record<string, string> = {
  ENVIRONMENT_DRIVER_ENVIRONMENT_LIFETIME: '2',
  ENVIRONMENT_DRIVER_DEBUG_LEASE: '2',
  ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '3',
  ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1',
  ENVIRONMENT_DRIVER_SSH_PING_RETRY_DURATION: '3',
};

export const STANDARD_SETTINGS: Record<string, string> = {
  ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1',
  ENVIRONMENT_DRIVER_SSH_PING_RETRY_DURATION: '3',
};
