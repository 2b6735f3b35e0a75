// /create is bounded: with no worker to create the pod and service, the invoker gets a retryable 503 instead
// of a request that never ends, and the withdrawn environment never comes to life later.
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';
import { namespaceObjects } from '../support/observe';

describe('/create without a worker', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ worker: false, env: { ENVIRONMENT_DRIVER_HTTP_CLIENT_REQUEST_TIMEOUT: '1' } });
  });
  afterAll(() => driver?.stop());

  it('answers 503 TemporarilyUnableToStartException and withdraws the environment for good', async () => {
    const reply = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    expect(reply).toMatchObject({ status: 503, text: expect.any(String) });
    expect(reply.json).toMatchObject({ errorType: 'TemporarilyUnableToStartException', details: null });
    const withdrawn = /environment (\S+) within/.exec(reply.json.errorMessage)![1];

    // A worker arrives later. The control environment, created after the withdrawn one on the same task queue,
    // proves it polls and works. A closed workflow is never handed to a worker again; a running one would have
    // had its pending task taken by now. Either way, whatever the withdrawn environment would do is done.
    await driver.startWorker();
    const control = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    expect(control.status).toBe(200);
    const controlObjects = await remainingObjects(driver.kube, control.json.environmentId);
    expect(controlObjects).toHaveLength(2);
    const handle = driver.client.workflow.getHandle(withdrawn);
    const settled = await eventually('the withdrawn environment settled', async () => {
      const description = await handle.describe();
      // (A terminated workflow still lists the task it never ran as pending.)
      const closed = description.status.name !== 'RUNNING';
      return closed || !description.raw.pendingWorkflowTask ? description : undefined;
    });

    // Temporal's record: terminated with the reason, and no worker ever ran a task of it.
    expect(settled.status.name).toBe('TERMINATED');
    const events = (await handle.fetchHistory()).events ?? [];
    const last = events[events.length - 1];
    expect(last.workflowExecutionTerminatedEventAttributes?.reason).toBe('no worker created the environment in time');
    expect(events.filter((e) => e.workflowTaskStartedEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes || e.activityTaskScheduledEventAttributes)).toEqual([]);
    // The cluster's record: only the control's pod and service exist in the namespace.
    expect(await remainingObjects(driver.kube, withdrawn)).toEqual([]);
    expect((await namespaceObjects(driver.kube)).sort()).toEqual(controlObjects.sort());

    await call(driver.baseUrl, 'PUT', `/cancel/${control.json.environmentId}`);
    await driver.client.workflow.getHandle(control.json.environmentId).result();
  });
});
