// (f) live environments on one worker: the in-process worker hands over to a worker alone in a child process,
// L environments are brought up to Ready (callback SUCCESS) and kept; the child's RSS is what a worker costs.
// Not torn down: this is the last phase and the whole stack goes away after it.
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import { startChildWorker } from './child-worker';
import { bringUp, type Receiver } from './environments';
import { pool, summarize, type Summary } from './stats';
import type { ChildMemory } from './worker-child';

export interface LiveFigures {
  liveEnvironments: number;
  concurrency: number;
  rampWallMs: number;
  rampEnvironmentsPerSecond: number;
  createMs: Summary;
  childWorkerStartMs: number;
  workerMemory: { idle: ChildMemory; withLive: ChildMemory; rssPerEnvironmentKb: number };
}

export async function measureLive(
  driver: TestDriver,
  receiver: Receiver,
  options: { live: number; concurrency: number },
): Promise<LiveFigures> {
  await driver.stopWorker();
  const starting = performance.now();
  const child = await startChildWorker(driver);
  const childWorkerStartMs = Math.round(performance.now() - starting);
  try {
    const idle = await child.memory();
    const create: number[] = [];
    const started = performance.now();
    await pool(options.live, options.concurrency, async (i) => {
      create.push((await bringUp(driver, receiver, `live-${i}`)).createMs);
    });
    const rampWallMs = performance.now() - started;
    const withLive = await child.memory();
    return {
      liveEnvironments: options.live,
      concurrency: options.concurrency,
      rampWallMs: Math.round(rampWallMs),
      rampEnvironmentsPerSecond: Math.round((options.live / (rampWallMs / 1000)) * 100) / 100,
      createMs: summarize(create),
      childWorkerStartMs,
      workerMemory: {
        idle,
        withLive,
        rssPerEnvironmentKb: Math.round(((withLive.rssMb - idle.rssMb) * 1024) / options.live),
      },
    };
  } finally {
    await child.stop();
  }
}
