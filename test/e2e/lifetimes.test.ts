// Nobody completes the environment: it still ends. A Ready one is destroyed when environment-lifetime runs out, a
// Failed one is kept failed-environment-grace for inspection and then destroyed (a debugged one when its lease runs
// out: debug.test.ts). Short settings here; the durations are checked on the workflow's own timers in history,
// never by measuring time, and the objects are checked while the status query still shows the kept phase.
import { statusQuery } from '../../workflows/definitions';
import type { EnvironmentStatus, Phase } from '../../workflows/types';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { markContainerWaiting } from '../support/kubelet';
import { historyOutline } from '../support/observe';
import { readyEnvironment } from '../support/ready-environment';

// Different on purpose: a workflow that used one for the other would show the wrong timer.
const LIFETIME_MS = 3000;
const GRACE_MS = 4000;

describe('environments nobody completes', () => {
  let driver: TestDriver;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  beforeAll(async () => {
    driver = await startDriver({
      env: {
        ENVIRONMENT_DRIVER_ENVIRONMENT_LIFETIME: String(LIFETIME_MS / 1000),
        ENVIRONMENT_DRIVER_FAILED_ENVIRONMENT_GRACE: String(GRACE_MS / 1000),
      },
    });
  });
  beforeEach(async () => {
    receiver = await startCallbackReceiver();
  });
  afterEach(() => receiver.stop());
  afterAll(() => driver?.stop());

  /**
   * The environment's objects, read while it is kept: once its callback is recorded, the status is `phase` before
   * and after the read (phases never go back, and objects are deleted only after Destroying).
   */
  async function objectsWhileKept(environmentId: string, phase: Phase): Promise<string[]> {
    const handle = driver.client.workflow.getHandle(environmentId);
    const before = await eventually('the callback recorded', async () => {
      const status = await handle.query(statusQuery);
      return status.result?.delivered ? status : undefined;
    });
    expect(before.phase).toBe(phase);
    const objects = await remainingObjects(driver.kube, environmentId);
    expect((await handle.query(statusQuery)).phase).toBe(phase);
    return objects.sort();
  }

  /** After the workflow ended: its last words, nothing left, and the one callback it sent. */
  async function expectEnded(environmentId: string, lastWords: string): Promise<EnvironmentStatus> {
    const final: EnvironmentStatus = await driver.client.workflow.getHandle(environmentId).result();
    expect(final.phase).toBe('Destroyed');
    const texts = final.messages.map((m) => m.text);
    expect(texts).toContain(lastWords);
    expect(texts).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(Complete|Cancel) requested$/)]));
    expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
    expect(receiver.received).toHaveLength(1); // the workflow is over: no other callback can follow
    return final;
  }

  /** After the callback was delivered: one timer of `ms`, fired, then the destroy. */
  async function expectTimerThenDestroy(environmentId: string, ms: number): Promise<void> {
    const outline = await historyOutline(driver.client, environmentId);
    const afterCallback = outline.slice(outline.lastIndexOf('completed sendCallback'));
    expect(afterCallback.filter((line) => /^(timer|scheduled|completed) /.test(line))).toEqual([
      'completed sendCallback',
      `timer ${ms}`,
      'timer fired',
      'scheduled destroyEnvironment',
      'completed destroyEnvironment',
    ]);
  }

  it('destroys a Ready environment when its lifetime runs out', async () => {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    try {
      expect(await objectsWhileKept(environmentId, 'Ready')).toEqual([
        `Pod/${names.podName}`,
        `Service/${names.serviceName}`,
      ]);
      await expectEnded(environmentId, 'Lifetime expired');
      await expectTimerThenDestroy(environmentId, LIFETIME_MS);
    } finally {
      await agent.stop();
    }
  });

  it('keeps a Failed environment for the grace, then destroys it', async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
    const environmentId: string = created.json.environmentId;
    const podName = `pnc-ba-pod-${environmentId}`;
    await markContainerWaiting(driver.kube, podName, 'ErrImagePull');
    expect(JSON.parse((await receiver.next(1)).body).status).toBe('SYSTEM_ERROR');

    expect(await objectsWhileKept(environmentId, 'Failed')).toEqual([
      `Pod/${podName}`,
      `Service/pnc-ba-service-${environmentId}`,
    ]);
    const final = await expectEnded(environmentId, 'Kept long enough for inspection');
    expect(final.conditions.map((c) => c.phase)).not.toContain('Ready');
    await expectTimerThenDestroy(environmentId, GRACE_MS);
  });
});
