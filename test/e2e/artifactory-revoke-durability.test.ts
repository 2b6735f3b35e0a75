// The Artifactory token is revoked on the paths Java missed (contract §5 item 6): lifetime expiry, a workflow that
// is gone (the orphan sweeper revokes from the Secret it finds), a revoke that keeps failing (the pod still goes;
// the Secret stays as the token's record until the sweeper revokes it), and a worker killed mid-destroy (the retry
// on another worker revokes again and Artifactory's 404 counts as done: at most one extra request, never a leak).
import { randomBytes } from 'node:crypto';
import { environmentNames } from '../../workflows/names';
import type { SweepResult } from '../../workflows/types';
import { ensureReaperSchedule, reaperScheduleId } from '../../src/temporal/reaper-schedule';
import { startFakeArtifactory, type FakeArtifactory } from '../support/artifactory';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const uniqueLabel = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

async function create(driver: TestDriver, environmentLabel: string) {
  const created = await call(driver.baseUrl, 'POST', '/create', createBody(null, { environmentLabel }));
  if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
  return environmentNames(environmentLabel, created.json.environmentId);
}

describe('Artifactory tokens of environments nobody destroys normally', () => {
  let fake: FakeArtifactory;
  let driver: TestDriver;
  let revokeStatus = 200;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ revokeStatus: () => revokeStatus });
    driver = await startDriver({ env: { ...fake.env, ENVIRONMENT_DRIVER_ENVIRONMENT_LIFETIME: '2' } });
  });
  afterEach(() => expect(fake.refused).toEqual([]));
  afterAll(async () => {
    await driver?.stop();
    await fake?.stop();
  });

  it('lifetime expiry revokes the token once', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const before = fake.minted.length;
      const { environmentId, agent } = await readyEnvironment(driver, receiver);
      const final = await driver.client.workflow.getHandle(environmentId).result();
      await agent.stop();
      expect(final.phase).toBe('Destroyed');
      expect(fake.revokeCounts().slice(before)).toEqual([1]);
      expect(fake.isRevoked(fake.minted[before].referenceToken)).toBe(true);
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('the orphan reaper revokes the token of a terminated environment once, then deletes its Secret', async () => {
    const before = fake.minted.length;
    const names = await create(driver, uniqueLabel('orphan'));
    await driver.client.workflow.getHandle(names.environmentId).terminate('test: a workflow gone, objects left');
    expect(await remainingObjects(driver.kube, names.environmentId)).toContain(`Secret/${names.secretName}`);

    const config = { ...driver.config, reaper: { intervalMs: 3_600_000, graceMs: 0 } };
    await ensureReaperSchedule(driver.client, config);
    const schedule = driver.client.schedule.getHandle(reaperScheduleId(config.temporal.taskQueue));
    try {
      await schedule.trigger();
      const run = await eventually(
        'a reaper run',
        async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId,
      );
      const result: SweepResult = await driver.client.workflow.getHandle(run).result();
      expect(result.deleted).toContain(`Secret/${names.secretName}`);
    } finally {
      await schedule.delete();
    }
    expect(fake.revokeCounts().slice(before)).toEqual([1]);
    expect(fake.isRevoked(fake.minted[before].referenceToken)).toBe(true);
    expect(await remainingObjects(driver.kube, names.environmentId)).toEqual([]);
  });

  it('a revoke that keeps failing does not keep the pod; the Secret waits for the sweeper, which revokes once', async () => {
    revokeStatus = 503;
    const before = fake.minted.length;
    const label = uniqueLabel('failing');
    const names = await create(driver, label);
    const token = fake.minted[before].referenceToken;
    expect((await call(driver.baseUrl, 'PUT', `/cancel/${names.environmentId}`)).status).toBe(200);
    // The test destroy budget (60 s) leaves no room for retries: the first failure already gives the revoke up.
    expect((await driver.client.workflow.getHandle(names.environmentId).result()).phase).toBe('Destroyed');
    expect(await remainingObjects(driver.kube, names.environmentId)).toEqual([`Secret/${names.secretName}`]);
    expect(fake.revokes.filter((r) => r.token === token).map((r) => r.status)).toEqual([503]);
    const metrics = await (await fetch(`${driver.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/environment_driver_artifactory_tokens_total\{event="revoke-failed"\} [1-9]/);

    revokeStatus = 200;
    expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentLabel: label })).status).toBe(200);
    await eventually(
      'the Secret swept',
      async () => (await remainingObjects(driver.kube, names.environmentId)).length === 0,
    );
    expect(fake.revokes.filter((r) => r.token === token).map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('a worker killed while it revokes an environment token', () => {
  let fake: FakeArtifactory;
  let driver: TestDriver;
  let child: WorkerProcess | undefined;
  beforeAll(async () => {
    // Killed on Artifactory's receipt of the first revoke: revoked there, never marked on the Secret.
    fake = await startFakeArtifactory({ afterRevoke: async () => child?.kill() });
    // Only the REST adapter here; the first worker is a child process. The retry waits for the destroy attempt's
    // start-to-close timeout (60 s), so the destroy budget must be longer.
    driver = await startDriver({
      worker: false,
      env: { ...fake.env, ENVIRONMENT_DRIVER_DESTROY_RETRY_DURATION: '600' },
    });
  });
  afterAll(async () => {
    await child?.kill();
    // The child worker created the reaper Schedule: not for the next test file.
    await driver?.client.schedule
      .getHandle(reaperScheduleId(driver.config.temporal.taskQueue))
      .delete()
      .catch(() => undefined);
    await driver?.stop();
    await fake?.stop();
  });

  it('is revoked once by Artifactory; the retry on the next worker gets 404 and counts it done', async () => {
    child = startWorkerProcess(driver.env);
    await child.ready();
    const names = await create(driver, uniqueLabel('killed'));
    expect((await call(driver.baseUrl, 'PUT', `/cancel/${names.environmentId}`)).status).toBe(200);
    await child.exited; // killed by the fake, inside the destroy activity
    await driver.startWorker();

    const final = await driver.client.workflow.getHandle(names.environmentId).result();
    expect(final.phase).toBe('Destroyed');
    const [token] = fake.minted;
    expect(fake.minted).toHaveLength(1);
    expect(fake.revokes).toEqual([
      { token: token.referenceToken, status: 200 },
      { token: token.referenceToken, status: 404 },
    ]);
    expect(await remainingObjects(driver.kube, names.environmentId)).toEqual([]);
    expect(fake.refused).toEqual([]);
  }, 240_000);
});
