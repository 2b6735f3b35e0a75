// PUT /complete with `environmentLabel` (the Java driver's destroyAll): every running environment of that
// label is destroyed, found through Temporal visibility rather than one replica's memory; others stay.
import { randomBytes } from 'node:crypto';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { signalsReceived } from '../support/observe';

describe('completing environments by label', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  // Labels are unique per run: visibility spans every driver on the shared Temporal server.
  const label = () => `label-${randomBytes(4).toString('hex')}`;

  async function createWithLabel(environmentLabel: string): Promise<string> {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null, { environmentLabel }));
    if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
    return created.json.environmentId;
  }

  /** The invoker completes long after /create; wait until visibility lists what the adapter will look up. */
  async function visible(environmentLabel: string, count: number, via: TestDriver = driver): Promise<void> {
    await eventually(`${count} environments labelled ${environmentLabel} visible`, async () => {
      const listed = await call(via.baseUrl, 'GET', `/environments?label=${environmentLabel}`);
      return (
        listed.json.environments.filter((e: { workflowStatus: string }) => e.workflowStatus === 'RUNNING').length ===
        count
      );
    });
  }

  it('destroys both environments of the label and leaves the one with another label alone', async () => {
    const doomed = label();
    const kept = label();
    const [first, second, other] = await Promise.all([
      createWithLabel(doomed),
      createWithLabel(doomed),
      createWithLabel(kept),
    ]);
    expect(first).toMatch(new RegExp(`^${doomed}-[0-9a-f]{6}$`));
    await Promise.all([visible(doomed, 2), visible(kept, 1)]);

    const completed = await call(driver.baseUrl, 'PUT', '/complete', { environmentLabel: doomed });
    expect(completed).toMatchObject({ status: 200, text: '{"debugHost":null,"debugPort":-1}' });

    for (const id of [first, second]) {
      const final = await driver.client.workflow.getHandle(id).result();
      expect(final.phase).toBe('Destroyed');
      expect(await remainingObjects(driver.kube, id)).toEqual([]);
    }
    // /complete signalled before it answered, so a stray signal would already be in the survivor's history.
    expect(await signalsReceived(driver.client, other)).toEqual([]);
    expect((await driver.client.workflow.getHandle(other).describe()).status.name).toBe('RUNNING');
    expect((await remainingObjects(driver.kube, other)).length).toBe(2); // its pod and service

    await call(driver.baseUrl, 'PUT', `/cancel/${other}`);
    await driver.client.workflow.getHandle(other).result();
    expect(await remainingObjects(driver.kube, other)).toEqual([]);
  });

  it('ignores environmentId when a label is given, as the Java driver did', async () => {
    const byLabel = label();
    const [labelled, named] = await Promise.all([createWithLabel(byLabel), createWithLabel(label())]);
    await visible(byLabel, 1);
    const completed = await call(driver.baseUrl, 'PUT', '/complete', {
      environmentLabel: byLabel,
      environmentId: named,
    });
    expect(completed.status).toBe(200);
    await driver.client.workflow.getHandle(labelled).result();
    expect(await signalsReceived(driver.client, named)).toEqual([]);
    await call(driver.baseUrl, 'PUT', `/cancel/${named}`);
    await driver.client.workflow.getHandle(named).result();
  });

  it('leaves alone environments of another deployment (task queue) that share the Temporal namespace', async () => {
    // Two drivers on one Temporal namespace, as the reaper's per-task-queue schedule anticipates.
    const neighbour = await startDriver();
    try {
      const shared = label();
      const created = await call(neighbour.baseUrl, 'POST', '/create', createBody(null, { environmentLabel: shared }));
      const theirs: string = created.json.environmentId;
      await visible(shared, 1, neighbour);
      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentLabel: shared })).status).toBe(200);
      // Guards the visibility query's TaskQueue clause: without it the adapter signalled the neighbour's workflow.
      expect(await signalsReceived(neighbour.client, theirs)).toEqual([]);
      await call(neighbour.baseUrl, 'PUT', `/cancel/${theirs}`);
      await neighbour.client.workflow.getHandle(theirs).result();
    } finally {
      await neighbour.stop();
    }
  });
});
