// Operators drive environments with the Temporal CLI as well: signal `complete` with enableDebug, read the
// debug branch's answer with `query --type status`, run the `debug` Update, and cancel — no REST adapter involved.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { findBinary } from '../../src/local/binaries';
import type { EnvironmentStatus } from '../../workflows/types';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';
import { listenTcp, sshNodePort } from '../support/sshd';
import { stackInfo } from '../support/stack';

const run = promisify(execFile);

async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(findBinary('temporal')!, [...args, '--address', stackInfo().temporalAddress], {
    timeout: 30_000,
  });
  return stdout;
}

async function queryStatus(environmentId: string): Promise<EnvironmentStatus> {
  const output = JSON.parse(
    await temporal('workflow', 'query', '--workflow-id', environmentId, '--type', 'status', '--output', 'json'),
  );
  return output.queryResult[0] as EnvironmentStatus;
}

describe('the Temporal CLI as an operator console', () => {
  let driver: TestDriver;
  let sshd: Server;
  beforeAll(async () => {
    driver = await startDriver({ env: { ENVIRONMENT_DRIVER_BUILD_AGENT_HOST: '127.0.0.1' } });
  });
  afterAll(async () => {
    sshd?.close();
    await driver?.stop();
  });

  it('enables debug with a signal, reads host and port from the status query, and cancels', async () => {
    const receiver = await startCallbackReceiver();
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    try {
      const listed = await temporal(
        'workflow',
        'list',
        '--query',
        `EnvironmentPhase = 'Ready' AND WorkflowId = '${environmentId}'`,
        '--output',
        'json',
      );
      expect(listed).toContain(environmentId);

      await temporal(
        'workflow',
        'signal',
        '--workflow-id',
        environmentId,
        '--name',
        'complete',
        '--input',
        '{"enableDebug": true}',
      );
      const nodePort = await eventually('ssh service', async () => {
        const service = await driver.kube.core.readNamespacedService({
          name: names.sshServiceName,
          namespace: driver.kube.namespace,
        });
        return service.spec?.ports?.[0]?.nodePort;
      });
      sshd = await new Promise<Server>((resolve) => {
        const server = createServer((socket) => socket.on('error', () => undefined).end());
        server.listen(nodePort, '127.0.0.1', () => resolve(server));
      });
      const status = await eventually('debug answered', async () => {
        const current = await queryStatus(environmentId);
        return current.debug?.state === 'Ready' && current;
      });
      expect(status.phase).toBe('Debugging');
      expect(status.debug).toMatchObject({ host: '127.0.0.1', port: nodePort, error: null });

      await temporal('workflow', 'signal', '--workflow-id', environmentId, '--name', 'cancel');
      await eventually('destroyed', async () => (await queryStatus(environmentId)).phase === 'Destroyed');
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });

  it('runs the debug Update: concurrent requests get the same access, asking again renews the lease', async () => {
    const receiver = await startCallbackReceiver();
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    const update = () =>
      temporal('workflow', 'update', 'execute', '--workflow-id', environmentId, '--name', 'debug', '--output', 'json');
    try {
      const first = [update(), update()];
      const server = await listenTcp(await sshNodePort(driver.kube, names.sshServiceName));
      try {
        const answers = (await Promise.all(first)).map((out) => JSON.parse(out).result);
        expect(answers[0]).toEqual({ host: '127.0.0.1', port: expect.any(Number), leaseExpiresAt: expect.any(String) });
        expect(answers[1]).toMatchObject({ host: '127.0.0.1', port: answers[0].port });
        const renewed = JSON.parse(await update()).result;
        const firstLease = Math.max(...answers.map((a) => Date.parse(a.leaseExpiresAt)));
        expect(Date.parse(renewed.leaseExpiresAt)).toBeGreaterThan(firstLease);
        expect((await queryStatus(environmentId)).debug?.leaseExpiresAt).toBe(renewed.leaseExpiresAt);
      } finally {
        server.close();
      }
      await temporal('workflow', 'signal', '--workflow-id', environmentId, '--name', 'cancel');
      await eventually('destroyed', async () => (await queryStatus(environmentId)).phase === 'Destroyed');
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });

  it('refuses the debug Update in its validator while the environment is not Ready, writing nothing', async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    const environmentId: string = created.json.environmentId;
    try {
      await expect(
        temporal('workflow', 'update', 'execute', '--workflow-id', environmentId, '--name', 'debug'),
      ).rejects.toThrow(`Environment ${environmentId} is Starting: debug access needs a Ready environment`);
      const { events } = await driver.client.workflow.getHandle(environmentId).fetchHistory();
      expect(events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1); // `created`
    } finally {
      await temporal('workflow', 'signal', '--workflow-id', environmentId, '--name', 'cancel');
    }
  });
});
