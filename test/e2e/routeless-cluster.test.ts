// A plain Kubernetes cluster without the OpenShift Route API (a second control plane without our Route CRD):
// the worker notices at start (one warning), skips every route step, answers debug with build-agent.host and the
// ssh NodePort, destroys and sweeps everything — and keeps running.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentLabelValue } from '../../activities/deps';
import type { SweepInput, SweepResult } from '../../workflows/types';
import { ensureBinaries } from '../../src/local/binaries';
import { call as kubeCall, startControlPlane, type ControlPlane } from '../../src/local/control-plane';
import { reaperScheduleId } from '../../src/temporal/reaper-schedule';
import { statusQuery, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, eventually, remainingObjects } from '../support/invoker';
import { createLeftovers } from '../support/leftovers';
import { readyEnvironment } from '../support/ready-environment';
import { listenTcp, sshNodePort } from '../support/sshd';
import { stackInfo } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const ROUTELESS_WARNING = 'does not serve OpenShift Routes';

describe('a cluster without the OpenShift Route API', () => {
  let plane: ControlPlane;
  let driver: TestDriver;
  let child: WorkerProcess;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const remaining = (environmentId: string) => remainingObjects(driver.kube, environmentId, { routes: false });

  beforeAll(async () => {
    const dir = mkdtempSync(join(stackInfo().workDir, 'routeless-'));
    plane = await startControlPlane(await ensureBinaries(), dir, { routeCrd: false });
    driver = await startDriver({
      kubeconfig: plane.kubeconfig,
      worker: false,
      env: { ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1', ENVIRONMENT_DRIVER_SSH_PING_RETRY_DURATION: '3' },
    });
    receiver = await startCallbackReceiver();
    // The worker in its own process, as `npm start` runs it: a crash would end that process.
    child = startWorkerProcess(driver.env);
    await child.ready();
  });
  afterAll(async () => {
    await child?.kill();
    await receiver?.stop();
    await driver?.client.schedule
      .getHandle(reaperScheduleId(driver.config.temporal.taskQueue))
      .delete()
      .catch(() => undefined);
    await driver?.stop();
    await plane?.stop();
  });

  it('really has no Route API', async () => {
    const discovery = await kubeCall(plane.server, plane.adminToken, 'GET', '/apis/route.openshift.io/v1');
    expect(discovery.status).toBe(404);
  });

  it('runs an environment to Ready, debug answers with build-agent.host and the NodePort, destroy leaves nothing', async () => {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const reply = call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    const nodePort = await sshNodePort(driver.kube, names.sshServiceName);
    const sshd = await listenTcp(nodePort);
    try {
      expect(await reply).toMatchObject({ status: 200, json: { debugHost: '127.0.0.1', debugPort: nodePort } });
      const status = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
      expect(status.debug).toMatchObject({ state: 'Ready', host: '127.0.0.1', port: nodePort, error: null });
      expect((await remaining(environmentId)).sort()).toEqual(
        [`Pod/${names.podName}`, `Service/${names.serviceName}`, `Service/${names.sshServiceName}`].sort(),
      );

      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(final.messages.map((m: { text: string }) => m.text)).toContain(
        `Deleted Pod/${names.podName}, Service/${names.serviceName}, Service/${names.sshServiceName}`,
      );
      expect(await remaining(environmentId)).toEqual([]);
      expect(child.alive()).toBe(true);
    } finally {
      sshd.close();
      await agent.stop();
    }
  });

  it('the orphan sweep deletes orphans of every other kind', async () => {
    const label = `orphan-${randomBytes(3).toString('hex')}`;
    const deployment = deploymentLabelValue(driver.config.temporal.taskQueue);
    const orphan = await createLeftovers(driver.kube, label, deployment, { route: false });
    expect(await remaining(orphan)).toHaveLength(4);
    const input: SweepInput = { labelSelector: `environment=${label}`, olderThanMs: 0 };
    const result: SweepResult = await driver.client.workflow.execute(SWEEP_WORKFLOW_TYPE, {
      taskQueue: driver.config.temporal.taskQueue,
      workflowId: `sweep-${label}`,
      args: [input],
    });
    expect(result.listFailures).toEqual([]);
    expect(result.deleted.sort()).toEqual(
      [
        `Pod/pnc-ba-pod-${orphan}`,
        `Secret/pnc-ba-secret-${orphan}`,
        `Service/pnc-ba-service-${orphan}`,
        `Service/pnc-ba-ssh-${orphan}`,
      ].sort(),
    );
    await eventually('orphans gone', async () => (await remaining(orphan)).length === 0);
    expect(child.alive()).toBe(true);
  });

  // Each test above also checks that the worker process survived it; this one stands alone too.
  it('the worker process warned exactly once, at start, and is still running', () => {
    expect(child.alive()).toBe(true);
    const warnings = child
      .output()
      .split('\n')
      .filter((line) => line.includes(ROUTELESS_WARNING));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, agentHost: '127.0.0.1' });
  });
});
