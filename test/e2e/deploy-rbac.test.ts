// deploy/ on the real kube-apiserver with the RBAC authorizer on: the rendered overlays apply server-side, the
// whole lifecycle runs authenticated as the worker's ServiceAccount (TokenRequest token) — the Role is enough —
// and that account is refused everywhere else and for every verb the driver does not use — the Role is minimal.
// The kubelet's status patches and the test's own reads use the admin account: they are not the driver.
import { randomBytes } from 'node:crypto';
import { classifyKubeError } from '../../activities/k8s/errors';
import { deploymentLabelValue } from '../../activities/deps';
import type { KubeClients } from '../../activities/k8s/client';
import { ensureReaperSchedule, reaperScheduleId } from '../../src/temporal/reaper-schedule';
import type { SweepResult } from '../../workflows/types';
import { startDriver, type TestDriver } from '../support/driver';
import { DRIVER_ROLE_RULES, grantedAccesses, NOT_NEEDED, ROUTE_RULES } from '../support/driver-rbac';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { createLeftovers } from '../support/leftovers';
import { renderOverlay, type Manifest } from '../support/manifests';
import { readyEnvironment } from '../support/ready-environment';
import {
  allowed,
  applyServerSide,
  clientsIn,
  FIELD_MANAGER,
  serviceAccountKubeconfig,
  whoAmI,
} from '../support/service-account';
import { listenTcp, sshNodePort } from '../support/sshd';
import { freshNamespace } from '../support/stack';

const SERVICE_ACCOUNT = 'environment-driver';

describe('deploy/ on a cluster with RBAC', () => {
  let admin: KubeClients;
  let kubeconfig: string;
  let driver: TestDriver;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  /** The driver's own view of the stack, but with the admin account for what the kubelet and the test do. */
  const asCluster = () => ({ ...driver, kube: admin });

  beforeAll(async () => {
    admin = await freshNamespace('deploy');
    // `oc apply -k` of the OpenShift overlay into this namespace (kustomize sets it), then the account's token.
    await applyServerSide(admin, await renderOverlay('openshift', admin.namespace));
    kubeconfig = await serviceAccountKubeconfig(admin, SERVICE_ACCOUNT);
    driver = await startDriver({
      kubeconfig,
      namespace: admin.namespace,
      env: {
        ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1',
        ENVIRONMENT_DRIVER_SSH_PING_RETRY_DURATION: '3',
      },
    });
    receiver = await startCallbackReceiver();
  }, 600_000);
  afterAll(async () => {
    await receiver?.stop();
    await driver?.stop();
  });

  it('applies both overlays server-side: every object stored, owned by the apply, re-applying changes nothing', async () => {
    for (const overlay of ['openshift', 'kubernetes'] as const) {
      const target = await freshNamespace(`apply-${overlay}`);
      const objects = await renderOverlay(overlay, target.namespace);
      const applied = await applyServerSide(target, objects);
      expect(applied.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
        objects.map((o) => `${o.kind}/${o.metadata.name}`),
      );
      for (const object of applied) {
        expect(object.metadata.uid).toEqual(expect.any(String));
        expect(object.metadata.namespace).toBe(target.namespace);
        const managers = (object.metadata.managedFields ?? []).map((f: Manifest) => `${f.manager}:${f.operation}`);
        expect(managers).toContain(`${FIELD_MANAGER}:Apply`);
      }
      const again = await applyServerSide(target, objects);
      expect(again.map((o) => o.metadata.resourceVersion)).toEqual(applied.map((o) => o.metadata.resourceVersion));
    }
  });

  it('the driver authenticates as the ServiceAccount, not as an administrator', async () => {
    expect(await whoAmI(kubeconfig)).toBe(`system:serviceaccount:${admin.namespace}:${SERVICE_ACCOUNT}`);
  });

  it('create → Ready → debug (Route + ssh NodePort) → complete: everything deleted', async () => {
    // allowSshDebug: the ssh password goes into a Secret the driver creates, then patches to be owned by the pod.
    const { environmentId, names, agent } = await readyEnvironment(asCluster(), receiver, { allowSshDebug: true });
    const reply = call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    const sshd = await listenTcp(await sshNodePort(admin, names.sshServiceName));
    try {
      expect(await reply).toMatchObject({ status: 200, json: { debugHost: '127.0.0.1' } });
      // The Route was made (discovery answered the account), beside the ssh service and the pod's Secret.
      expect((await remainingObjects(admin, environmentId)).sort()).toEqual(
        [
          `Pod/${names.podName}`,
          `Route/${names.routeName}`,
          `Secret/${names.secretName}`,
          `Service/${names.serviceName}`,
          `Service/${names.sshServiceName}`,
        ].sort(),
      );
      const secret = await admin.core.readNamespacedSecret({ name: names.secretName, namespace: admin.namespace });
      expect(secret.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name: names.podName })]);
      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      await eventually('everything deleted', async () => (await remainingObjects(admin, environmentId)).length === 0);
      expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    } finally {
      sshd.close();
      await agent.stop();
    }
  });

  it('create → cancel: everything deleted', async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null, { environmentLabel: 'cancelled' }));
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    expect(await remainingObjects(admin, environmentId)).toHaveLength(2);
    expect((await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
    await eventually('everything deleted', async () => (await remainingObjects(admin, environmentId)).length === 0);
  });

  it('the orphan sweep lists every kind and deletes an orphan', async () => {
    const config = { ...driver.config, reaper: { intervalMs: 3_600_000, graceMs: 0 } };
    await ensureReaperSchedule(driver.client, config);
    const schedule = driver.client.schedule.getHandle(reaperScheduleId(config.temporal.taskQueue));
    try {
      const label = `orphan-${randomBytes(3).toString('hex')}`;
      const orphan = await createLeftovers(admin, label, deploymentLabelValue(config.temporal.taskQueue));
      await schedule.trigger();
      const run = await eventually(
        'a reaper run',
        async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId,
      );
      const result: SweepResult = await driver.client.workflow.getHandle(run).result();
      expect(result.listFailures).toEqual([]);
      expect(result.deleted.sort()).toEqual(
        ['Pod/pnc-ba-pod', 'Route/pnc-ba-route', 'Secret/pnc-ba-secret', 'Service/pnc-ba-service', 'Service/pnc-ba-ssh']
          .map((prefix) => `${prefix}-${orphan}`)
          .sort(),
      );
      expect(await remainingObjects(admin, orphan)).toEqual([]);
    } finally {
      await schedule.delete();
    }
  });

  it('a pod-running timeout reads the namespace quota as the account', async () => {
    const short = await startDriver({
      kubeconfig,
      namespace: admin.namespace,
      env: { ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '2' },
    });
    try {
      const created = await call(short.baseUrl, 'POST', '/create', createBody(receiver.url()));
      expect(created.status).toBe(200);
      const callback = await eventually('the FAILED callback', async () =>
        receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.reason?.includes(created.json.environmentId)),
      );
      expect(callback.status).toBe('FAILED');
      // Listed, not refused: "resources unknown (…Forbidden…)" would say the Role lacks it.
      expect(callback.reason).toContain(`Available resources: no quota in namespace ${admin.namespace}`);
      await eventually(
        'destroyed',
        async () => (await remainingObjects(admin, created.json.environmentId)).length === 0,
      );
    } finally {
      await short.stop();
    }
  });

  it('the account is refused in another namespace', async () => {
    const other = await freshNamespace('other');
    const asAccount = clientsIn(kubeconfig, other.namespace);
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const refused = await asAccount.core.createNamespacedPod({ namespace: other.namespace, body: pod }).then(
      () => null,
      (error: unknown) => classifyKubeError(error).code,
    );
    expect(refused).toBe(403);
    for (const access of grantedAccesses([...DRIVER_ROLE_RULES, ...ROUTE_RULES])) {
      expect({ access, allowed: await allowed(kubeconfig, other.namespace, access) }).toEqual({
        access,
        allowed: false,
      });
    }
  });

  it('the account may do exactly what the Role grants and nothing the driver does not need', async () => {
    for (const access of grantedAccesses([...DRIVER_ROLE_RULES, ...ROUTE_RULES])) {
      expect({ access, allowed: await allowed(kubeconfig, admin.namespace, access) }).toEqual({
        access,
        allowed: true,
      });
    }
    for (const access of NOT_NEEDED) {
      expect({ access, allowed: await allowed(kubeconfig, admin.namespace, access) }).toEqual({
        access,
        allowed: false,
      });
    }
    const role: Manifest = await admin.objects.read({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'environment-driver', namespace: admin.namespace },
    });
    expect(JSON.stringify(role.rules)).not.toContain('*');
  });
});
