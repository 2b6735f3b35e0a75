// Leak-proof cleanup: objects labelled as ours that no running workflow owns are found and deleted — by
// complete-by-label and by the orphan reaper Schedule — while live environments are never touched.
import { randomBytes } from 'node:crypto';
import { deploymentLabelValue } from '../../activities/deps';
import type { SweepResult } from '../../workflows/types';
import { reaperScheduleId, ensureReaperSchedule } from '../../src/temporal/reaper-schedule';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { createLeftovers } from '../support/leftovers';

async function createLive(driver: TestDriver, environmentLabel: string): Promise<string> {
  const created = await call(driver.baseUrl, 'POST', '/create', createBody(null, { environmentLabel }));
  if (created.status !== 200) throw new Error(created.text);
  return created.json.environmentId;
}

describe('orphan cleanup', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());
  const ours = () => deploymentLabelValue(driver.config.temporal.taskQueue);

  it('complete by label also deletes labelled objects without a workflow, debug objects included', async () => {
    const label = `left-${randomBytes(3).toString('hex')}`;
    const leftover = await createLeftovers(driver.kube, label, ours());
    expect(await remainingObjects(driver.kube, leftover)).toHaveLength(5);
    expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentLabel: label })).status).toBe(200);
    await eventually('leftovers deleted', async () => (await remainingObjects(driver.kube, leftover)).length === 0);
  });

  it('the reaper Schedule deletes orphans and leaves live environments alone; creating it twice is harmless', async () => {
    const config = { ...driver.config, reaper: { intervalMs: 3_600_000, graceMs: 0 } };
    await ensureReaperSchedule(driver.client, config);
    await ensureReaperSchedule(driver.client, config); // a second worker starting
    const schedule = driver.client.schedule.getHandle(reaperScheduleId(config.temporal.taskQueue));

    const orphan = await createLeftovers(driver.kube, `orphan-${randomBytes(3).toString('hex')}`, ours());
    // Another driver deployment sharing this Kubernetes namespace: not ours to judge.
    const theirs = await createLeftovers(driver.kube, `theirs-${randomBytes(3).toString('hex')}`, 'another-deployment');
    const live = await createLive(driver, `live-${randomBytes(3).toString('hex')}`);
    const liveObjects = await remainingObjects(driver.kube, live);
    expect(liveObjects).toHaveLength(2);

    await schedule.trigger();
    const run = await eventually(
      'a reaper run',
      async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId,
    );
    const result: SweepResult = await driver.client.workflow.getHandle(run).result();
    expect(result.deleted).toEqual(
      expect.arrayContaining([
        `Pod/pnc-ba-pod-${orphan}`,
        `Route/pnc-ba-route-${orphan}`,
        `Service/pnc-ba-ssh-${orphan}`,
      ]),
    );
    expect(result.skippedLive).toBeGreaterThanOrEqual(1);
    expect(result.listFailures).toEqual([]);
    expect(await remainingObjects(driver.kube, orphan)).toEqual([]);
    expect(await remainingObjects(driver.kube, theirs)).toHaveLength(5);
    expect((await remainingObjects(driver.kube, live)).sort()).toEqual(liveObjects.sort());

    await call(driver.baseUrl, 'PUT', `/cancel/${live}`);
    await schedule.delete();
  });
});
