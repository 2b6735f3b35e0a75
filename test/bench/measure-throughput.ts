// (e) full-lifecycle throughput: K environments in flight, each create → agent up → pod Running → SUCCESS
// callback → PUT /complete → destroyed; plus the process's RSS (REST adapter + worker + benchmark client).
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import { createEnvironment, finishEnvironment, markRunning, startAgentFor, type Receiver } from './environments';
import { pool, summarize, type Summary } from './stats';

export interface ThroughputFigures {
  environments: number;
  concurrency: number;
  wallMs: number;
  environmentsPerSecond: number;
  lifecycleMs: Summary;
  rssMb: { before: number; max: number; after: number };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function lifecycle(driver: TestDriver, receiver: Receiver, key: string): Promise<number> {
  const started = performance.now();
  const id = await createEnvironment(driver, receiver.url(key));
  const agent = await startAgentFor(driver, id);
  try {
    await markRunning(driver, id);
    const callback = await receiver.wait(key, 60_000);
    if ((JSON.parse(callback.body) as { status: string }).status !== 'SUCCESS') throw new Error(`${id}: callback ${callback.body}`);
  } finally {
    // The agent is only needed for the ping; its cluster IP may be handed to a new Service after destroy.
    await agent.stop();
  }
  await finishEnvironment(driver, id, 'complete');
  receiver.forget(key);
  return performance.now() - started;
}

export async function measureThroughput(driver: TestDriver, receiver: Receiver, options: { warmup: number; total: number; concurrency: number }): Promise<ThroughputFigures> {
  await pool(options.warmup, options.concurrency, (i) => lifecycle(driver, receiver, `warm-${i}`).then(() => undefined));
  global.gc?.();
  const before = process.memoryUsage().rss;
  let max = before;
  const sampler = setInterval(() => (max = Math.max(max, process.memoryUsage().rss)), 100);
  const durations: number[] = [];
  const started = performance.now();
  try {
    await pool(options.total, options.concurrency, async (i) => {
      durations.push(await lifecycle(driver, receiver, `flow-${i}`));
    });
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  return {
    environments: options.total,
    concurrency: options.concurrency,
    wallMs: Math.round(wallMs),
    environmentsPerSecond: Math.round((options.total / (wallMs / 1000)) * 100) / 100,
    lifecycleMs: summarize(durations),
    rssMb: { before: mb(before), max: mb(max), after: mb(process.memoryUsage().rss) },
  };
}
