// (e) full-lifecycle throughput: K environments in flight, each create → agent up → pod Running → SUCCESS
// callback → PUT /complete → destroyed. RSS here is this whole process (adapter + worker + fakes + client).
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import { bringUp, finishEnvironment, type Receiver } from './environments';
import { pool, summarize, type Summary } from './stats';

export interface ThroughputFigures {
  environments: number;
  concurrency: number;
  wallMs: number;
  environmentsPerSecond: number;
  lifecycleMs: Summary;
  stepsMs: { create: Summary; agent: Summary; ready: Summary; finish: Summary };
  processRssMb: { before: number; max: number; after: number };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface Steps {
  create: number;
  agent: number;
  ready: number;
  /** PUT /complete sent → workflow finished with everything deleted. */
  finish: number;
  total: number;
}

async function lifecycle(driver: TestDriver, receiver: Receiver, key: string): Promise<Steps> {
  const started = performance.now();
  const up = await bringUp(driver, receiver, key);
  const finishing = performance.now();
  await finishEnvironment(driver, up.id, 'complete');
  const done = performance.now();
  return { create: up.createMs, agent: up.agentMs, ready: up.readyMs, finish: done - finishing, total: done - started };
}

export async function measureThroughput(
  driver: TestDriver,
  receiver: Receiver,
  options: { warmup: number; total: number; concurrency: number },
): Promise<ThroughputFigures> {
  await pool(options.warmup, options.concurrency, (i) =>
    lifecycle(driver, receiver, `warm-${i}`).then(() => undefined),
  );
  const before = process.memoryUsage().rss;
  let max = before;
  const sampler = setInterval(() => (max = Math.max(max, process.memoryUsage().rss)), 100);
  const steps: Steps[] = [];
  const started = performance.now();
  try {
    await pool(options.total, options.concurrency, async (i) => {
      steps.push(await lifecycle(driver, receiver, `flow-${i}`));
    });
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const of = (key: keyof Steps) => summarize(steps.map((s) => s[key]));
  return {
    environments: options.total,
    concurrency: options.concurrency,
    wallMs: Math.round(wallMs),
    environmentsPerSecond: Math.round((options.total / (wallMs / 1000)) * 100) / 100,
    lifecycleMs: of('total'),
    stepsMs: { create: of('create'), agent: of('agent'), ready: of('ready'), finish: of('finish') },
    processRssMb: { before: mb(before), max: mb(max), after: mb(process.memoryUsage().rss) },
  };
}
