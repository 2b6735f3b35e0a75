// Environments that never become ready: the pod reports a failure reason, or the agent never answers. The
// invoker gets one failure callback (with the additive `reason`), and the objects are destroyed afterwards
// (the test settings keep failed environments for 0 s).
import { statusQuery } from '../../workflows/definitions';
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { markContainerWaiting, markPodRunning } from '../support/kubelet';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';

describe('an environment that cannot start', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  /** Creates an environment whose callback goes to a fresh receiver; the caller stops the receiver. */
  async function createEnvironment() {
    const receiver = await startCallbackReceiver();
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    if (created.status !== 200) {
      await receiver.stop();
      throw new Error(`/create answered ${created.status}: ${created.text}`);
    }
    const environmentId: string = created.json.environmentId;
    return { receiver, environmentId, names: environmentNames('azq3l5f6dbaaa', environmentId) };
  }

  /** The callback the invoker got, after the workflow has destroyed everything and finished. */
  async function onlyCallbackAfterDestroy(
    environmentId: string,
    receiver: Awaited<ReturnType<typeof startCallbackReceiver>>,
  ) {
    const final = await driver.client.workflow.getHandle(environmentId).result();
    expect(final.phase).toBe('Destroyed');
    expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
    // The workflow is over, so no further callback can come: exactly one was sent.
    expect(receiver.received).toHaveLength(1);
    return receiver.received[0];
  }

  it.each([
    { reason: 'ErrImagePull', init: false, status: 'SYSTEM_ERROR' },
    { reason: 'ErrImagePull', init: true, status: 'SYSTEM_ERROR' },
    { reason: 'InvalidImageName', init: false, status: 'FAILED' },
  ])(
    'calls back $status when a container waits with $reason (init container: $init), then destroys',
    async ({ reason, init, status }) => {
      const { receiver, environmentId, names } = await createEnvironment();
      try {
        await markContainerWaiting(driver.kube, names.podName, reason, init);
        const callback = await receiver.next(1);
        // Field order and nulls as the Java driver's EnvironmentCreateResult; `reason` is additive.
        expect(
          callback.body.startsWith(
            `{"environmentBaseUri":null,"workingDirectory":null,"sshPassword":null,"status":"${status}","reason":`,
          ),
        ).toBe(true);
        expect(JSON.parse(callback.body)).toEqual({
          environmentBaseUri: null,
          workingDirectory: null,
          sshPassword: null,
          status,
          reason: expect.stringContaining(`Pod failed with status: ${reason}`),
        });
        await onlyCallbackAfterDestroy(environmentId, receiver);
      } finally {
        await receiver.stop();
      }
    },
  );

  it('calls back FAILED when the pod runs but no agent ever answers on the service, then destroys', async () => {
    const { receiver, environmentId, names } = await createEnvironment();
    try {
      // Nothing listens on the service's cluster IP: every ping is refused until the agent budget (4 s) is spent.
      await markPodRunning(driver.kube, names.podName);
      const callback = await receiver.next(1);
      expect(JSON.parse(callback.body)).toEqual({
        environmentBaseUri: null,
        workingDirectory: null,
        sshPassword: null,
        status: 'FAILED',
        reason: expect.stringContaining('Build agent did not answer'),
      });
      await onlyCallbackAfterDestroy(environmentId, receiver);
      const status = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
      expect(status).toMatchObject({ result: { status: 'FAILED', delivered: true } });
    } finally {
      await receiver.stop();
    }
  });

  it('records CrashLoopBackOff as SYSTEM_ERROR, with its reason and phases, in the status query', async () => {
    const { receiver, environmentId, names } = await createEnvironment();
    try {
      await markContainerWaiting(driver.kube, names.podName, 'CrashLoopBackOff');
      await receiver.next(1);
      const status = await eventually('failure recorded', async () => {
        const s = await driver.client.workflow.getHandle(environmentId).query(statusQuery);
        return s.result ? s : undefined;
      });
      expect(status.result).toMatchObject({
        status: 'SYSTEM_ERROR',
        reason: expect.stringContaining('CrashLoopBackOff'),
      });
      expect(status.conditions.map((c) => c.phase)).toEqual(expect.arrayContaining(['Creating', 'Starting', 'Failed']));
      await onlyCallbackAfterDestroy(environmentId, receiver);
    } finally {
      await receiver.stop();
    }
  });
});
