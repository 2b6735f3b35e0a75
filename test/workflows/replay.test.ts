// Workflow tier: determinism. Histories of real environments (happy, cancelled, failed, debugged) are replayed
// against today's workflow code. The committed ones in histories/ were recorded by an earlier version: a change
// that would break environments already running in production fails here. RECORD_HISTORIES=1 refreshes them.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody } from '../support/invoker';
import { markContainerWaiting } from '../support/kubelet';
import { readyEnvironment } from '../support/ready-environment';
import { stackInfo } from '../support/stack';
import { environmentNames } from '../../workflows/names';

const FIXTURES = join(__dirname, 'histories');
const { History } = temporal.api.history.v1;
type History = temporal.api.history.v1.IHistory;

describe('workflow replay', () => {
  let driver: TestDriver;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  beforeAll(async () => {
    driver = await startDriver();
    receiver = await startCallbackReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await driver?.stop();
  });

  /** Runs the scenarios of an environment's life and returns their finished histories by name. */
  async function recordScenarios(): Promise<Record<string, History>> {
    const happy = await readyEnvironment(driver, receiver);
    await call(driver.baseUrl, 'PUT', '/complete', { environmentId: happy.environmentId });
    await happy.agent.stop();

    const cancelled = (await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()))).json.environmentId;
    await call(driver.baseUrl, 'PUT', `/cancel/${cancelled}`);

    const failed = (await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()))).json.environmentId;
    await markContainerWaiting(driver.kube, environmentNames('azq3l5f6dbaaa', failed).podName, 'ErrImagePull');

    const ids = { happy: happy.environmentId, cancelled, failed };
    const histories: Record<string, History> = {};
    for (const [name, id] of Object.entries(ids)) {
      const handle = driver.client.workflow.getHandle(id);
      await handle.result();
      histories[name] = await handle.fetchHistory();
    }
    return histories;
  }

  it('replays fresh and committed histories without nondeterminism', async () => {
    const fresh = await recordScenarios();
    if (process.env.RECORD_HISTORIES === '1') {
      // Binary protobuf: the SDK's JSON helpers trip over its two nested protobufjs copies.
      for (const [name, history] of Object.entries(fresh))
        writeFileSync(join(FIXTURES, `${name}.history.pb`), History.encode(history).finish());
    }
    const committed = readdirSync(FIXTURES)
      .filter((file) => file.endsWith('.history.pb'))
      .map((file) => ({
        workflowId: `committed-${file}`,
        history: History.decode(readFileSync(join(FIXTURES, file))),
      }));
    expect(committed.length).toBeGreaterThanOrEqual(3);
    const histories = [
      ...Object.entries(fresh).map(([name, history]) => ({ workflowId: `fresh-${name}`, history })),
      ...committed,
    ];
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: stackInfo().workflowBundlePath } },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
