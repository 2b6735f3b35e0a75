// Debug access: the query-guarded branch of the environment workflow, reached through PUT /complete.
import { statusQuery } from '../../workflows/definitions';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, eventually, remainingObjects } from '../support/invoker';
import { historyOutline } from '../support/observe';
import { readyEnvironment } from '../support/ready-environment';
import { listenTcp, sshNodePort } from '../support/sshd';

describe('debug access', () => {
  let driver: TestDriver;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  beforeAll(async () => {
    driver = await startDriver({
      env: {
        ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1',
        ENVIRONMENT_DRIVER_SSH_PING_RETRY_DURATION: '3',
        ENVIRONMENT_DRIVER_DEBUG_LEASE: '3600',
      },
    });
    receiver = await startCallbackReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await driver?.stop();
  });

  it('creates the ssh service and route, checks the port, answers host and NodePort; destroy leaves nothing', async () => {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const reply = call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    const nodePort = await sshNodePort(driver.kube, names.sshServiceName);
    const sshd = await listenTcp(nodePort);
    try {
      expect(await reply).toMatchObject({ status: 200, json: { debugHost: '127.0.0.1', debugPort: nodePort } });
      const status = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
      expect(status.phase).toBe('Debugging');
      expect(status.debug).toMatchObject({ state: 'Ready', host: '127.0.0.1', port: nodePort, error: null });
      expect(Date.parse(status.debug!.leaseExpiresAt!)).toBeGreaterThan(Date.now());

      const ssh = await driver.kube.core.readNamespacedService({
        name: names.sshServiceName,
        namespace: driver.kube.namespace,
      });
      expect(ssh.metadata!.labels).toMatchObject({ environment: 'azq3l5f6dbaaa', 'pnc-environment-id': environmentId });
      expect(ssh.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Pod', name: names.podName })]);
      expect((await remainingObjects(driver.kube, environmentId)).sort()).toEqual(
        [
          `Pod/${names.podName}`,
          `Route/${names.routeName}`,
          `Service/${names.serviceName}`,
          `Service/${names.sshServiceName}`,
        ].sort(),
      );

      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      await eventually(
        'everything deleted',
        async () => (await remainingObjects(driver.kube, environmentId)).length === 0,
      );
      expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    } finally {
      sshd.close();
      await agent.stop();
    }
  });

  it('answers an error when nothing listens on the SSH port, and the environment stays destroyable', async () => {
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    try {
      const reply = await call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
      expect(reply.status).toBe(500);
      expect(reply.json).toMatchObject({ errorType: 'DebugFailedException', details: null });
      expect(reply.json.errorMessage).toMatch(/SSH port 127\.0\.0\.1:\d+ did not accept a connection/);
      const status = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
      expect(status.debug).toMatchObject({ state: 'Failed' });

      expect((await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
      await eventually(
        'everything deleted',
        async () => (await remainingObjects(driver.kube, environmentId)).length === 0,
      );
    } finally {
      await agent.stop();
    }
  });

  it('refuses debug for an environment that is not Ready, and 404s an unknown one', async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', { environmentLabel: 'notready', imageId: 'x' });
    const { environmentId } = created.json;
    const reply = await call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    expect(reply).toMatchObject({ status: 409, json: { errorType: 'EnvironmentNotReadyException' } });
    await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
    const unknown = await call(driver.baseUrl, 'PUT', '/complete', {
      environmentId: 'nobody-000000',
      enableDebug: true,
    });
    expect(unknown.status).toBe(404);
  });
});

describe('debug lease', () => {
  it('destroys the environment when the lease runs out', async () => {
    const driver = await startDriver({
      env: { ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1', ENVIRONMENT_DRIVER_DEBUG_LEASE: '2' },
    });
    const receiver = await startCallbackReceiver();
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const reply = call(driver.baseUrl, 'PUT', '/complete', { environmentId, enableDebug: true });
    const sshd = await listenTcp(await sshNodePort(driver.kube, names.sshServiceName));
    try {
      expect((await reply).status).toBe(200);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(final.messages.map((m: { text: string }) => m.text)).toContain('Debug lease expired');
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
      expect(receiver.received).toHaveLength(1);
      // The lease is the workflow's own timer (not measured here): set once debug was on, fired, then the destroy.
      const outline = await historyOutline(driver.client, environmentId);
      const afterDebug = outline.slice(outline.lastIndexOf('completed enableDebug'));
      expect(afterDebug.filter((line) => /^(timer|scheduled|completed) /.test(line))).toEqual([
        'completed enableDebug',
        'timer 2000',
        'timer fired',
        'scheduled destroyEnvironment',
        'completed destroyEnvironment',
      ]);
    } finally {
      sshd.close();
      await agent.stop();
      await receiver.stop();
      await driver.stop();
    }
  });
});
