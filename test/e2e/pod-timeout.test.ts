// A pod that never runs within pod-running-wait-for: FAILED, with a reason that says what the pod asked for and
// what the namespace quota has left — the explanation the Java driver wrote to the user log.
import { mergePatch } from '../../activities/k8s/client';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody } from '../support/invoker';

describe('pod-running timeout', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ env: { ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '2' } });
    const { core, namespace } = driver.kube;
    const hard = { 'limits.memory': '16Gi', 'limits.cpu': '8' };
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'builds' }, spec: { hard } } });
    // No quota controller here: the status is set by hand, then the apiserver enforces and tracks it for real.
    await core.patchNamespacedResourceQuotaStatus(
      { name: 'builds', namespace, body: { status: { hard, used: { 'limits.memory': '8Gi', 'limits.cpu': '2' } } } },
      mergePatch,
    );
  });
  afterAll(() => driver?.stop());

  it('calls back FAILED explaining requested and available resources', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
      expect(created.status).toBe(200);
      const body = JSON.parse((await receiver.next(1)).body);
      expect(body).toMatchObject({
        status: 'FAILED',
        environmentBaseUri: null,
        workingDirectory: null,
        sshPassword: null,
      });
      const podName = `pnc-ba-pod-${created.json.environmentId}`;
      expect(body.reason).toContain(`Unable to start pod ${podName}. Pod ${podName} is not running.`);
      expect(body.reason).toContain('did not become ready in time');
      // The pod asks for 4 GiB and 2 cores; the quota has 16Gi/8 with 8Gi/2 used before it (and this pod's own
      // share once admitted): whatever is left, it is stated in the same units.
      expect(body.reason).toMatch(
        new RegExp(
          `Pod ${podName} requested resources: 4GB 2cpu; Available resources: \\d+(\\.\\d+)?GB \\d+(\\.\\d+)?cpu$`,
        ),
      );
    } finally {
      await receiver.stop();
    }
  });
});
