// A sweep's list call of one kind fails while the other lists are still pending — here a real 403: the worker's
// account may not list Routes. Such a rejection once went unobserved and Node killed the whole worker process,
// leaking every object. Now the sweep reports the failed kind, sweeps the other kinds, and the worker lives on.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deploymentLabelValue } from '../../activities/deps';
import { SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import type { SweepInput, SweepResult } from '../../workflows/types';
import { call as kubeCall } from '../../src/local/control-plane';
import { reaperScheduleId } from '../../src/temporal/reaper-schedule';
import { startDriver, type TestDriver } from '../support/driver';
import { startHoldingProxy, tokenOf, writeProxyKubeconfig, type HoldingProxy } from '../support/holding-proxy';
import { eventually, remainingObjects } from '../support/invoker';
import { createLeftovers } from '../support/leftovers';
import { stackInfo } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/** The worker's account may do everything it needs on pods, services, secrets and routes, except list routes. */
async function grantAllButListingRoutes(server: string, adminToken: string, namespace: string): Promise<void> {
  const rbac = 'rbac.authorization.k8s.io';
  const verbs = ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'];
  const role = {
    apiVersion: `${rbac}/v1`,
    kind: 'Role',
    metadata: { name: 'driver' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/status', 'services', 'secrets'], verbs },
      { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['get', 'create', 'delete'] },
    ],
  };
  const binding = {
    apiVersion: `${rbac}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'driver' },
    subjects: [{ kind: 'User', name: 'developer', apiGroup: rbac }],
    roleRef: { kind: 'Role', name: 'driver', apiGroup: rbac },
  };
  for (const [plural, body] of [
    ['roles', role],
    ['rolebindings', binding],
  ] as const) {
    const created = await kubeCall(
      server,
      adminToken,
      'POST',
      `/apis/${rbac}/v1/namespaces/${namespace}/${plural}`,
      body,
    );
    if (created.status !== 201) throw new Error(`${plural}: ${created.status} ${created.body}`);
  }
}

describe('a sweep whose list of one kind fails', () => {
  let driver: TestDriver;
  let proxy: HoldingProxy;
  let child: WorkerProcess | undefined;
  beforeAll(async () => {
    driver = await startDriver({ worker: false });
    const stack = stackInfo();
    const namespace = driver.kube.namespace;
    const userToken = tokenOf(stack.userKubeconfig);
    await grantAllButListingRoutes(stack.kubeServer, tokenOf(stack.kubeconfig), namespace);
    await eventually('the role is in force', async () => {
      const pods = await kubeCall(stack.kubeServer, userToken, 'GET', `/api/v1/namespaces/${namespace}/pods`);
      return pods.status === 200;
    });
    const routes = `/apis/route.openshift.io/v1/namespaces/${namespace}/routes`;
    expect((await kubeCall(stack.kubeServer, userToken, 'GET', routes)).status).toBe(403);
    // The pod list is answered only after the route list has failed: the order that crashed the worker.
    proxy = await startHoldingProxy(stack.kubeServer, {
      hold: (req) => req.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+\/pods\?/.test(req.url ?? ''),
      until: (req) => /\/routes\?/.test(req.url ?? ''),
    });
    const kubeconfig = writeProxyKubeconfig(join(stack.workDir, `proxy-${namespace}.kubeconfig`), proxy.url, userToken);
    child = startWorkerProcess({ ...driver.env, KUBECONFIG: kubeconfig });
    await child.ready();
  });
  afterAll(async () => {
    await child?.kill();
    await proxy?.stop();
    await driver?.client.schedule
      .getHandle(reaperScheduleId(driver.config.temporal.taskQueue))
      .delete()
      .catch(() => undefined);
    await driver?.stop();
  });

  it('reports the failed kind, sweeps the other kinds, and the worker process keeps running', async () => {
    const label = `listfail-${randomBytes(3).toString('hex')}`;
    const orphan = await createLeftovers(driver.kube, label, deploymentLabelValue(driver.config.temporal.taskQueue));
    const input: SweepInput = { labelSelector: `environment=${label}`, olderThanMs: 0 };
    const sweep = driver.client.workflow.execute(SWEEP_WORKFLOW_TYPE, {
      taskQueue: driver.config.temporal.taskQueue,
      workflowId: `sweep-${label}`,
      args: [input],
    });
    const died = child!.exited.then((code) => ({ died: code }));
    const outcome = await Promise.race([sweep as Promise<SweepResult>, died]);
    if ('died' in outcome) throw new Error(`the worker process died (exit ${outcome.died}):\n${child!.output()}`);

    expect(proxy.held()).toBeGreaterThanOrEqual(1); // the pod list really was pending when the route list failed
    expect(outcome.listFailures).toEqual([expect.stringMatching(/^Route: .*forbidden/)]);
    expect(outcome.deleted.sort()).toEqual(
      [
        `Pod/pnc-ba-pod-${orphan}`,
        `Secret/pnc-ba-secret-${orphan}`,
        `Service/pnc-ba-service-${orphan}`,
        `Service/pnc-ba-ssh-${orphan}`,
      ].sort(),
    );
    expect(await remainingObjects(driver.kube, orphan)).toEqual([`Route/pnc-ba-route-${orphan}`]);
    expect(child!.alive()).toBe(true);
  });
});
