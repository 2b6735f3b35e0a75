// HTTP in, callback out: the invoker's view of one build environment, on the real stack.
import { statusQuery } from '../../workflows/definitions';
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { markPodRunning } from '../support/kubelet';
import { call, createBody, eventually, remainingObjects, serviceAddress } from '../support/invoker';

describe('a build environment from /create to /complete', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it('creates pod and service, calls back SUCCESS once the agent answers, and destroys on complete', async () => {
    const receiver = await startCallbackReceiver();
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    if (created.status !== 200) throw new Error(created.text);
    const { environmentId } = created.json;
    expect(environmentId).toMatch(/^azq3l5f6dbaaa-[0-9a-f]{6}$/);
    expect(created.json.cancel).toEqual({
      method: 'PUT',
      uri: `http://environment-driver.test:8080/cancel/${environmentId}`,
      headers: expect.arrayContaining([
        { name: 'Content-Type', value: 'application/json' },
        { name: 'log-process-context', value: 'build-AZQ3L5F6DBAAA' },
        { name: 'log-user-id', value: '42' },
        { name: 'traceparent', value: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      ]),
      attachment: null,
    });
    expect(created.json.cancel.headers[0]).toEqual({ name: 'Content-Type', value: 'application/json' });

    // Pass-through: both objects exist when /create answers.
    const names = environmentNames('azq3l5f6dbaaa', environmentId);
    expect((await remainingObjects(driver.kube, environmentId)).sort()).toEqual([
      `Pod/${names.podName}`,
      `Service/${names.serviceName}`,
    ]);
    const pod = await driver.kube.core.readNamespacedPod({ name: names.podName, namespace: driver.kube.namespace });
    expect(pod.spec!.containers[0].image).toBe('quay.io/org/builder-rhel-8-j17-mvn3.9:1.0.0');
    expect(pod.metadata!.labels).toMatchObject({
      environment: 'azq3l5f6dbaaa',
      'app.kubernetes.io/managed-by': 'pnc-environment-driver',
    });

    const { ip, port } = await serviceAddress(driver.kube, environmentId);
    let first = true;
    const agent = await startBuildAgent(ip, port, () => (first ? ((first = false), 500) : 200));
    try {
      await markPodRunning(driver.kube, names.podName);
      const callback = await receiver.next(1);
      expect(callback.method).toBe('POST');
      expect(JSON.parse(callback.body)).toEqual({
        environmentBaseUri: `http://${ip}:${port}/pnc-ba-${environmentId}`,
        workingDirectory: '/tmp',
        sshPassword: '',
        status: 'SUCCESS',
      });
      expect(callback.headers['log-process-context']).toBe('build-AZQ3L5F6DBAAA');
      // The first ping got 500 and was retried, as with the Java driver's test agent.
      expect(agent.pings.map((p) => [p.method, p.url])).toEqual([
        ['HEAD', `/pnc-ba-${environmentId}/`],
        ['HEAD', `/pnc-ba-${environmentId}/`],
      ]);
      // The receiver answers before the activity's completion reaches the workflow.
      const status = await eventually('callback recorded', async () => {
        const s = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
        return s.result?.delivered && s;
      });
      expect(status.phase).toBe('Ready');
      expect(status.result).toEqual({ status: 'SUCCESS', reason: null, delivered: true });

      const viaRest = await call(driver.baseUrl, 'GET', `/environments/${environmentId}`);
      expect(viaRest.json.phase).toBe('Ready');

      const completed = await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
      expect(completed).toMatchObject({ status: 200, json: { debugHost: null, debugPort: -1 } });
      await eventually(
        'objects deleted',
        async () => (await remainingObjects(driver.kube, environmentId)).length === 0,
      );
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(receiver.received).toHaveLength(1);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });
});
