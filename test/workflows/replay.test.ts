// Workflow tier: determinism. Every life an environment can have (test/workflows/scenarios.ts) is run for real and
// its history replayed against today's workflow code, together with the committed histories in
// test/fixtures/histories, recorded by earlier versions: a change that would break environments already running in
// production fails here. `RECORD_HISTORIES=1 npx jest test/workflows/replay` refreshes the fixtures (only after a
// deliberate, versioned change; see README "Changing workflow code").
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { stackInfo } from '../support/stack';
import { workerTracing } from '../../src/telemetry/worker-tracing';
import {
  runShortLifeScenarios,
  SHORT_LIFE_SETTINGS,
  standardScenarios,
  STANDARD_SETTINGS,
  type Scenario,
} from './scenarios';

const FIXTURES = join(__dirname, '../fixtures/histories');
const { History } = temporal.api.history.v1;
type History = temporal.api.history.v1.IHistory;
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

describe('workflow replay', () => {
  let standard: TestDriver;
  let shortLife: TestDriver;
  let receiver: Receiver;
  beforeAll(async () => {
    [standard, shortLife, receiver] = await Promise.all([
      startDriver({ env: STANDARD_SETTINGS }),
      startDriver({ env: SHORT_LIFE_SETTINGS }),
      startCallbackReceiver(),
    ]);
  });
  afterAll(async () => {
    await receiver?.stop();
    await standard?.stop();
    await shortLife?.stop();
  });

  async function historiesOf(driver: TestDriver, ids: Record<string, string>): Promise<Record<string, History>> {
    const histories: Record<string, History> = {};
    for (const [name, id] of Object.entries(ids)) {
      const handle = driver.client.workflow.getHandle(id);
      await handle.result();
      histories[name] = await handle.fetchHistory();
    }
    return histories;
  }

  /** Runs every scenario (the standard ones side by side, the short-life ones in order) and returns histories. */
  async function recordScenarios(): Promise<Record<string, History>> {
    // Each standard scenario has a receiver of its own: a test's "next callback" must be its environment's.
    const runStandard = async ([name, run]: [string, Scenario]) => {
      const own = await startCallbackReceiver();
      try {
        return [name, await run(standard, own)] as const;
      } finally {
        await own.stop();
      }
    };
    const [standardIds, shortLifeIds] = await Promise.all([
      Promise.all(Object.entries(standardScenarios).map(runStandard)).then(Object.fromEntries),
      runShortLifeScenarios(shortLife, receiver),
    ]);
    return { ...(await historiesOf(standard, standardIds)), ...(await historiesOf(shortLife, shortLifeIds)) };
  }

  it('replays fresh and committed histories of every scenario without nondeterminism', async () => {
    const fresh = await recordScenarios();
    if (process.env.RECORD_HISTORIES === '1') {
      // Binary protobuf: the SDK's JSON helpers trip over its two nested protobufjs copies.
      for (const [name, history] of Object.entries(fresh))
        writeFileSync(join(FIXTURES, `${name}.history.pb`), History.encode(history).finish());
    }
    const committedFiles = readdirSync(FIXTURES).filter((file) => file.endsWith('.history.pb'));
    // Every scenario has a committed history, so none can silently drop out of the guard.
    expect(Object.keys(fresh).filter((name) => !committedFiles.includes(`${name}.history.pb`))).toEqual([]);
    const committed = committedFiles.map((file) => ({
      workflowId: `committed-${file}`,
      history: History.decode(readFileSync(join(FIXTURES, file))),
    }));
    const histories = [
      ...Object.entries(fresh).map(([name, history]) => ({ workflowId: `fresh-${name}`, history })),
      ...committed,
    ];
    const failures: string[] = [];
    let replayed = 0;
    // The scenarios ran on plain workers; a deployment may switch tracing on or off at any time, so each history
    // must also replay through the bundle with the tracing interceptors (their sink drops spans during replay).
    const { workflowBundlePath, tracedWorkflowBundlePath } = stackInfo();
    for (const codePath of [workflowBundlePath, tracedWorkflowBundlePath]) {
      for await (const result of Worker.runReplayHistories(
        { workflowBundle: { codePath }, ...workerTracing(null, true) },
        histories,
      )) {
        replayed++;
        if (result.error) failures.push(`${codePath}: ${result.workflowId}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length * 2);
  });
});
