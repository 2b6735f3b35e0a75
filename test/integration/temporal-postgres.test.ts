// The driver on the production engine: the Temporal server (all services, one process) on PostgreSQL, schemas set
// up by temporal-sql-tool, the driver's search attributes registered. One environment lives its whole life on it,
// and its history and visibility rows are in PostgreSQL: they survive a restart of both servers.
import { statusQuery } from '../../workflows/definitions';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, eventually, remainingObjects } from '../support/invoker';
import { FIRST_START_TIMEOUT_MS, startPostgresTemporal, type PostgresTemporal } from '../support/postgres-temporal';
import { readyEnvironment } from '../support/ready-environment';

describe('Temporal server on PostgreSQL', () => {
  let engine: PostgresTemporal;
  let driver: TestDriver;
  beforeAll(async () => {
    engine = await startPostgresTemporal();
    driver = await startDriver({ temporalAddress: engine.temporal.address });
  }, FIRST_START_TIMEOUT_MS);
  afterAll(async () => {
    await driver?.stop();
    await engine?.stop();
  });

  it('runs an environment from /create to Destroyed, and keeps it across a restart of PostgreSQL and Temporal', async () => {
    const receiver = await startCallbackReceiver();
    const { environmentId, agent } = await readyEnvironment(driver, receiver);
    try {
      const handle = driver.client.workflow.getHandle(environmentId);
      expect((await handle.query(statusQuery)).phase).toBe('Ready');
      // SQL visibility answers the driver's own search attributes (eventually: visibility lags the history).
      await eventually('listed as Ready', async () => {
        const listed = await call(driver.baseUrl, 'GET', '/environments?phase=Ready');
        return JSON.stringify(listed.json).includes(environmentId);
      });

      // Both servers go down (PostgreSQL's fast shutdown, Temporal's SIGTERM) and their supervisors start them
      // again on the same ports and data: the environment is still there, still Ready.
      const before = [engine.postgres.server.pid(), engine.temporal.server.pid()];
      process.kill(before[1]!, 'SIGTERM');
      process.kill(before[0]!, 'SIGINT');
      await eventually(
        'both restarted',
        async () =>
          engine.postgres.server.check().status === 'UP' &&
          engine.temporal.server.check().status === 'UP' &&
          engine.postgres.server.pid() !== before[0] &&
          engine.temporal.server.pid() !== before[1],
        180_000,
      );
      expect((await eventually('query after restart', () => handle.query(statusQuery), 60_000)).phase).toBe('Ready');

      const completed = await call(driver.baseUrl, 'PUT', '/complete', { environmentId });
      expect(completed.status).toBe(200);
      await eventually(
        'objects deleted',
        async () => (await remainingObjects(driver.kube, environmentId)).length === 0,
      );
      expect((await handle.result()).phase).toBe('Destroyed');
      expect(receiver.received).toHaveLength(1);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });
});
