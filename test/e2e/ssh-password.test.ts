// allowSshDebug: the build agent's SSH password reaches the pod and the invoker, but never workflow history:
// it lives in a Secret owned by the pod, referenced from the pod spec, and is read back for the callback.
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, eventually, remainingObjects } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';

describe('ssh password', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it('is generated into a pod-owned Secret, sent in the SUCCESS callback, and absent from history', async () => {
    const receiver = await startCallbackReceiver();
    const { environmentId, names, agent, callback } = await readyEnvironment(driver, receiver, { allowSshDebug: true });
    try {
      expect(callback.sshPassword).toMatch(/^[A-Za-z0-9]{10}$/);

      const secret = await driver.kube.core.readNamespacedSecret({
        name: names.secretName,
        namespace: driver.kube.namespace,
      });
      expect(Buffer.from(secret.data!.workerUserPassword, 'base64').toString()).toBe(callback.sshPassword);
      expect(secret.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name: names.podName })]);

      const pod = await driver.kube.core.readNamespacedPod({ name: names.podName, namespace: driver.kube.namespace });
      const env = pod.spec!.containers[0].env!.find((e) => e.name === 'workerUserPassword')!;
      expect(env.value).toBeUndefined();
      expect(env.valueFrom?.secretKeyRef).toMatchObject({ name: names.secretName, key: 'workerUserPassword' });

      const history = await driver.client.workflow.getHandle(environmentId).fetchHistory();
      // Payload bytes arrive base64 encoded: look at every string both as is and decoded.
      const strings: string[] = [];
      JSON.stringify(history, (_key, value) => {
        if (typeof value === 'string') strings.push(value, Buffer.from(value, 'base64').toString('latin1'));
        return value;
      });
      const text = strings.join('\n');
      expect(text).toContain(names.podName); // only inside the input payload: the check does read payloads
      expect(text).not.toContain(callback.sshPassword);

      await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
      await eventually(
        'Secret deleted with the rest',
        async () => (await remainingObjects(driver.kube, environmentId)).length === 0,
      );
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });
});
