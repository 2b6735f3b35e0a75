// PUT /cancel/{id} as the invoker sends it (the `cancel` Request from /create: PUT, Content-Type JSON, no body).
// Any replica can cancel: the answer is immediate, the monitor stops, CANCELLED is called back once, and the
// environment's objects are deleted.
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { markPodRunning } from '../support/kubelet';
import { call, createBody, INVOKER_HEADERS, remainingObjects, serviceAddress } from '../support/invoker';
import { awaitActivityRunning } from '../support/observe';

const NO_DEBUG = '{"debugHost":null,"debugPort":-1}';
const CANCELLED = '{"environmentBaseUri":null,"workingDirectory":null,"sshPassword":null,"status":"CANCELLED"}';

describe('cancelling an environment', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  /** The invoker replays the `cancel` Request it got from /create: its method, URI and headers. */
  async function cancelAsInvoker(cancel: { method: string; uri: string; headers: { name: string; value: string }[] }) {
    const path = new URL(cancel.uri).pathname;
    const headers = Object.fromEntries(cancel.headers.map((h) => [h.name, h.value]));
    return call(driver.baseUrl, cancel.method, path, undefined, headers);
  }

  it.each([
    { when: 'right after /create answered', waitForMonitor: false },
    { when: 'while the readiness monitor waits for the pod', waitForMonitor: true },
  ])('cancels a Starting environment $when: 200, one CANCELLED callback, objects gone', async ({ waitForMonitor }) => {
    const receiver = await startCallbackReceiver();
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
      expect(created.status).toBe(200);
      const { environmentId, cancel } = created.json;
      if (waitForMonitor) await awaitActivityRunning(driver.client, environmentId, 'awaitEnvironmentReady');

      const cancelled = await cancelAsInvoker(cancel);
      expect(cancelled).toMatchObject({ status: 200, text: NO_DEBUG });

      const callback = await receiver.next(1);
      expect(callback.body).toBe(CANCELLED);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(final.conditions.map((c: { phase: string }) => c.phase)).not.toContain('Ready');
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
      // The workflow has ended: no other callback can follow.
      expect(receiver.received).toHaveLength(1);

      // Cancelling again (a retrying invoker) is harmless.
      expect(await cancelAsInvoker(cancel)).toMatchObject({ status: 200, text: NO_DEBUG });
    } finally {
      await receiver.stop();
    }
  });

  it('does not call back SUCCESS when the environment becomes ready just after the cancel', async () => {
    const receiver = await startCallbackReceiver();
    let agent: Awaited<ReturnType<typeof startBuildAgent>> | undefined;
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
      const { environmentId } = created.json;
      await awaitActivityRunning(driver.client, environmentId, 'awaitEnvironmentReady');
      // Everything is in place for readiness except the pod status: without the cancel, SUCCESS would follow.
      const { ip, port } = await serviceAddress(driver.kube, environmentId);
      agent = await startBuildAgent(ip, port);
      expect((await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
      // The pod may already be deleted; a late kubelet report must not revive the environment.
      await markPodRunning(driver.kube, environmentNames('azq3l5f6dbaaa', environmentId).podName).catch(
        () => undefined,
      );
      await driver.client.workflow.getHandle(environmentId).result();
      expect(receiver.received.map((r) => r.body)).toEqual([CANCELLED]);
    } finally {
      await agent?.stop();
      await receiver.stop();
    }
  });

  it('answers 200 for an id it never created', async () => {
    expect(await call(driver.baseUrl, 'PUT', '/cancel/nosuchlabel-abcdef')).toMatchObject({
      status: 200,
      text: NO_DEBUG,
    });
    // With the JSON body the Java driver's test sent, which is ignored.
    const withBody = await call(driver.baseUrl, 'PUT', '/cancel/nosuchlabel-abcdef', { any: 'thing' }, INVOKER_HEADERS);
    expect(withBody).toMatchObject({ status: 200, text: NO_DEBUG });
  });
});
