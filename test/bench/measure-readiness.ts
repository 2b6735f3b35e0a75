// (c) readiness reaction: pod marked Running (agent already answering) → SUCCESS callback at the invoker;
// (d) history events of each of these happy environments once completed and destroyed.
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import {
  awaitPhase,
  createEnvironment,
  finishEnvironment,
  markRunning,
  startAgentFor,
  type Receiver,
} from './environments';
import { History, readinessTimeline, summarizeParts } from './history-timing';
import { sleep, summarize, type Summary } from './stats';

export interface ReadinessFigures {
  readinessToCallbackMs: Summary;
  /** From the histories (server clock vs. this process's clock, same machine). */
  readinessTimelineMs: Record<keyof ReturnType<typeof readinessTimeline>, Summary>;
  historyEvents: { n: number; min: number; median: number; max: number; firstByType: Record<string, number> };
}

/** How long to let the readiness activity open its pod watch after the workflow reports Starting. */
const SETTLE_MS = 1000;
const epoch = (performanceMs: number) => performance.timeOrigin + performanceMs;

export async function measureReadiness(
  driver: TestDriver,
  receiver: Receiver,
  options: { warmup: number; m: number; batch: number },
): Promise<ReadinessFigures> {
  const reaction: number[] = [];
  const timelines: ReturnType<typeof readinessTimeline>[] = [];
  const events: number[] = [];
  let firstByType: Record<string, number> = {};
  const total = options.warmup + options.m;
  for (let start = 0; start < total; start += options.batch) {
    const indexes = Array.from({ length: Math.min(options.batch, total - start) }, (_, k) => start + k);
    // Set-up, untimed: environments created and waiting for their pods, agents already listening.
    const envs: {
      i: number;
      id: string;
      agent: Awaited<ReturnType<typeof startAgentFor>>;
      t0?: number;
      at?: number;
    }[] = [];
    try {
      for (const i of indexes) {
        const id = await createEnvironment(driver, receiver.url(`ready-${i}`));
        envs.push({ i, id, agent: await startAgentFor(driver, id) });
      }
      await Promise.all(envs.map((e) => awaitPhase(driver, e.id, 'Starting')));
      await sleep(SETTLE_MS);
      // Timed, one at a time: status patch returned → callback received.
      for (const e of envs) {
        e.t0 = await markRunning(driver, e.id);
        const callback = await receiver.wait(`ready-${e.i}`, 30_000);
        e.at = callback.at;
        const body = JSON.parse(callback.body) as { status: string };
        if (body.status !== 'SUCCESS') throw new Error(`${e.id}: callback ${callback.body}`);
        if (e.i >= options.warmup) reaction.push(callback.at - e.t0);
        await e.agent.stop();
      }
      await Promise.all(envs.map((e) => finishEnvironment(driver, e.id, 'complete')));
      for (const e of envs.filter((x) => x.i >= options.warmup)) {
        const history = await History.fetch(driver, e.id);
        if (events.length === 0) firstByType = history.byType();
        events.push(history.events.length);
        timelines.push(readinessTimeline(history, epoch(e.t0!), epoch(e.at!)));
      }
    } finally {
      await Promise.all(envs.map((e) => e.agent.stop().catch(() => undefined)));
    }
  }
  const sorted = [...events].sort((a, b) => a - b);
  return {
    readinessToCallbackMs: summarize(reaction),
    readinessTimelineMs: summarizeParts(timelines),
    historyEvents: {
      n: sorted.length,
      min: sorted[0],
      median: sorted[Math.floor((sorted.length - 1) / 2)],
      max: sorted[sorted.length - 1],
      firstByType,
    },
  };
}
