// The JSON document of a benchmark run: machine, parameters, figures, and each DESIGN.md §10 target.
import { cpus, loadavg, release, totalmem } from 'node:os';
import type { ClusterFigures } from './measure-cluster';
import type { CreateFigures } from './measure-create';
import type { LiveFigures } from './measure-live';
import type { ReadinessFigures } from './measure-readiness';
import type { ThroughputFigures } from './measure-throughput';
import type { TracingFigures } from './measure-tracing';
import { atLeast, atMost, type Target } from './stats';

export interface PhaseCost {
  wallMs: number;
  /**
   * Average cores busy per process over the phase (`bench` = REST adapter + worker + fakes + client), the
   * machine's busy cores, and `otherProcesses`: load that is not ours (e.g. a test run next to us).
   */
  cores: Record<string, number>;
  /** Share of the phase this process's main thread was busy. */
  benchEventLoopUtilization: number;
  /** TLS connections this process opened (all to the kube-apiserver: driver activities and harness alike). */
  apiserverTlsConnections: number;
}

/** A phase left out by BENCH_PHASES is null. */
export interface Figures {
  create: CreateFigures | null;
  readiness: ReadinessFigures | null;
  throughput: ThroughputFigures | null;
  live: LiveFigures | null;
  tracing: TracingFigures | null;
  cluster: ClusterFigures | null;
}

export function buildReport(input: {
  figures: Figures;
  phases: Record<string, PhaseCost>;
  parameters: Record<string, unknown>;
  startedAt: Date;
  stackStartMs: number;
  processRssMb: Record<string, number>;
}) {
  const { create, readiness, throughput, live, tracing } = input.figures;
  const targets: Record<string, Target> = {};
  if (create) targets.createP50VsBareP50 = atMost(create.ratioP50, 1.3);
  if (readiness) {
    targets.readinessToCallbackP50Ms = atMost(readiness.readinessToCallbackMs.p50, 50);
    targets.readinessToCallbackP99Ms = atMost(readiness.readinessToCallbackMs.p99, 250);
    targets.historyEventsPerHappyEnvironmentMax = atMost(readiness.historyEvents.max, 40);
  }
  if (throughput) targets.fullLifecycleEnvironmentsPerSecond = atLeast(throughput.environmentsPerSecond, 25);
  if (tracing) targets.tracedCreateP50VsUntracedP50 = atMost(tracing.tracedToUntracedP50, 1.1);
  if (live) {
    targets.workerRssMbWithLiveEnvironments = {
      ...atMost(live.workerMemory.withLive.rssMb, 300),
      target: `<= 300 with ${live.liveEnvironments} live (1000 wanted)`,
    };
    if (live.liveEnvironments < 1000) targets.workerRssMbWithLiveEnvironments.pass = false;
  }
  return {
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model,
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      platform: `${process.platform} ${release()}`,
      loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    parameters: input.parameters,
    stackStartMs: input.stackStartMs,
    figures: {
      bareParallelPodServiceCreateMs: create?.bare,
      restCreateMs: create?.create,
      createToBareRatio: create && { p50: create.ratioP50, p99: create.ratioP99 },
      restCreateTimelineMs: create?.createTimelineMs,
      readinessToCallbackMs: readiness?.readinessToCallbackMs,
      readinessTimelineMs: readiness?.readinessTimelineMs,
      historyEventsPerHappyEnvironment: readiness?.historyEvents,
      fullLifecycle: throughput,
      liveEnvironments: live,
      tracing: tracing && {
        restCreateUntracedMs: tracing.untraced,
        restCreateTracedMs: tracing.traced,
        tracedToUntracedP50: tracing.tracedToUntracedP50,
        tracedToUntracedP99: tracing.tracedToUntracedP99,
        otlpExports: tracing.exports,
      },
      cluster: input.figures.cluster,
      benchProcessRssMb: input.processRssMb,
    },
    phases: input.phases,
    targets,
    allTargetsMet: Object.values(targets).every((t) => t.pass),
  };
}
