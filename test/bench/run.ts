// `npm run bench`: starts the real stack, measures the figures of DESIGN.md §10 in one run, prints one JSON
// document and writes it to test/bench/results/. Figures are reported, not asserted: missing a target still
// exits 0; an error (or the overall time limit) exits non-zero.
// Sizes: BENCH_N, BENCH_M, BENCH_K, BENCH_T, BENCH_LIVE (0 skips the live phase); ENVIRONMENT_DRIVER_* overrides.
// BENCH_PHASES picks phases (comma separated, default all): create, readiness, lifecycle, live, tracing, cluster.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Runtime } from '@temporalio/worker';
import { startDriver, TEST_SETTINGS, type TestDriver } from '../support/driver';
import { startRealStack } from '../support/real-stack';
import { coresUsed, snapshotAll } from './cpu';
import { startTimedReceiver, type Receiver } from './environments';
import { measureCluster } from './measure-cluster';
import { measureCreate } from './measure-create';
import { measureLive } from './measure-live';
import { measureReadiness } from './measure-readiness';
import { measureThroughput } from './measure-throughput';
import { measureTracing } from './measure-tracing';
import { buildReport, type Figures, type PhaseCost } from './report';
import { withTimeout } from './stats';
import { countTlsConnections, tlsConnectionsOpened } from './tls-count';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const params = {
  createN: size('BENCH_N', 100),
  createWarmup: size('BENCH_N_WARMUP', 10),
  readinessM: size('BENCH_M', 30),
  readinessWarmup: size('BENCH_M_WARMUP', 5),
  throughputConcurrency: size('BENCH_K', 20),
  throughputTotal: size('BENCH_T', 120),
  throughputWarmup: size('BENCH_T_WARMUP', 20),
  liveEnvironments: size('BENCH_LIVE', 1000),
  liveConcurrency: size('BENCH_LIVE_K', 20),
  clusterConcurrency: size('BENCH_CLUSTER_K', 20),
  clusterTotal: size('BENCH_CLUSTER_T', 120),
  clusterWarmup: size('BENCH_CLUSTER_T_WARMUP', 20),
  timeLimitMs: size('BENCH_TIME_LIMIT_MS', 12 * 60_000),
  phases: (process.env.BENCH_PHASES ?? 'create,readiness,lifecycle,live,tracing,cluster')
    .split(',')
    .map((p) => p.trim()),
};
const runs = (phase: string) => params.phases.includes(phase);

/** The driver's production defaults for every budget the test harness shortens (config keys, not code). */
const PRODUCTION_SETTINGS: Record<keyof typeof TEST_SETTINGS, string> = {
  ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '600',
  ENVIRONMENT_DRIVER_SERVICE_RUNNING_WAIT_FOR: '60',
  ENVIRONMENT_DRIVER_BUILD_AGENT_RUNNING_WAIT_FOR: '30',
  ENVIRONMENT_DRIVER_CALLBACK_RETRY_DURATION: '300',
  ENVIRONMENT_DRIVER_DESTROY_RETRY_DURATION: '3600',
  ENVIRONMENT_DRIVER_FAILED_ENVIRONMENT_GRACE: '600',
  ENVIRONMENT_DRIVER_ACTIVITY_HEARTBEAT_TIMEOUT: '30',
  ENVIRONMENT_DRIVER_HTTP_CLIENT_CONNECT_TIMEOUT: '5',
  ENVIRONMENT_DRIVER_HTTP_CLIENT_REQUEST_TIMEOUT: '15',
};
/** ENVIRONMENT_DRIVER_* variables of the benchmark's own environment override the above (to compare settings). */
const overrides = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => k.startsWith('ENVIRONMENT_DRIVER_') && v !== undefined),
) as Record<string, string>;
const driverSettings = { ...PRODUCTION_SETTINGS, ...overrides };

const progress = (text: string) => process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${text}\n`);
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

/** Runs one phase and records its wall time, CPU by process and this process's event-loop utilization. */
async function phase<T>(phases: Record<string, PhaseCost>, name: string, run: () => Promise<T>): Promise<T> {
  const key = name.slice(0, name.indexOf(':'));
  progress(name);
  const [cpu, elu, started, tlsBefore] = [
    snapshotAll(),
    performance.eventLoopUtilization(),
    performance.now(),
    tlsConnectionsOpened(),
  ];
  const result = await run();
  const wallMs = performance.now() - started;
  phases[key] = {
    wallMs: Math.round(wallMs),
    cores: coresUsed(cpu, snapshotAll(), wallMs),
    benchEventLoopUtilization: Math.round(performance.eventLoopUtilization(elu).utilization * 100) / 100,
    apiserverTlsConnections: tlsConnectionsOpened() - tlsBefore,
  };
  return result;
}

async function measure(driver: TestDriver, receiver: Receiver, phases: Record<string, PhaseCost>): Promise<Figures> {
  const createOptions = { warmup: params.createWarmup, n: params.createN, batch: 10 };
  const create = runs('create')
    ? await phase(
        phases,
        `create: (a) bare pod+service vs (b) POST /create, ${params.createN} each (+${params.createWarmup} warm-up)`,
        () => measureCreate(driver, receiver, createOptions),
      )
    : null;
  const readiness = !runs('readiness')
    ? null
    : await phase(
        phases,
        `readiness: (c) Running → callback, (d) history, ${params.readinessM} environments (+${params.readinessWarmup} warm-up)`,
        () => measureReadiness(driver, receiver, { warmup: params.readinessWarmup, m: params.readinessM, batch: 35 }),
      );
  const throughput = !runs('lifecycle')
    ? null
    : await phase(
        phases,
        `lifecycle: (e) ${params.throughputTotal} environments, ${params.throughputConcurrency} in flight (+${params.throughputWarmup} warm-up)`,
        () =>
          measureThroughput(driver, receiver, {
            warmup: params.throughputWarmup,
            total: params.throughputTotal,
            concurrency: params.throughputConcurrency,
          }),
      );
  const live =
    params.liveEnvironments <= 0 || !runs('live')
      ? null
      : await phase(
          phases,
          `live: (f) ${params.liveEnvironments} Ready environments on a worker child, ${params.liveConcurrency} in flight`,
          () => measureLive(driver, receiver, { live: params.liveEnvironments, concurrency: params.liveConcurrency }),
        );
  // Last: once started, the OTel SDK's context manager stays registered in this process.
  const tracing = runs('tracing')
    ? await phase(
        phases,
        `tracing: (g) POST /create traced at 100 % sampling (OTLP/HTTP protobuf) vs untraced, interleaved, ${params.createN} each (+${params.createWarmup} warm-up)`,
        () => measureTracing(driver, driverSettings, receiver, createOptions),
      )
    : null;
  // The production topology in processes of its own (its stack, not the embedded one): after the others.
  const cluster = runs('cluster')
    ? await phase(
        phases,
        `cluster: (h) 2 API + 2 worker replicas on Temporal + PostgreSQL, ${params.clusterTotal} environments, ${params.clusterConcurrency} in flight (+${params.clusterWarmup} warm-up)`,
        () =>
          measureCluster(receiver, driverSettings, {
            warmup: params.clusterWarmup,
            total: params.clusterTotal,
            concurrency: params.clusterConcurrency,
          }),
      )
    : null;
  return { create, readiness, throughput, live, tracing, cluster };
}

/** stdout carries the JSON document only: the SDK's native logs (console by default) go to stderr. */
function quietTemporalRuntime(): void {
  const toStderr = (message: string) => progress(`temporal: ${message}`);
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: toStderr, error: toStderr },
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}

async function main(): Promise<number> {
  const startedAt = new Date();
  countTlsConnections();
  quietTemporalRuntime();
  progress('starting kube-apiserver + etcd and the Temporal dev server, bundling the workflow');
  const stack = await startRealStack('env-driver-bench-');
  let driver: TestDriver | undefined;
  let receiver: Receiver | undefined;
  let completed = false;
  let stopping: Promise<void> | undefined;
  // After an interruption a POST /create may still wait for its workflow, which holds the adapter's close: a
  // short bound then, the stack goes anyway. A completed run stops in a second or two.
  const stopAll = (completed = false) =>
    (stopping ??= (async () => {
      const bound = completed ? 30_000 : 5_000;
      if (driver) await withTimeout(driver.stop(), bound, 'driver stop').catch((e) => progress(String(e)));
      await receiver?.stop();
      await stack.stop(); // SIGTERM, then SIGKILL after 5 s
    })());
  const limit = setTimeout(() => {
    progress(`time limit of ${params.timeLimitMs} ms reached: stopping`);
    void stopAll().finally(() => process.exit(2));
  }, params.timeLimitMs);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  try {
    progress(`stack up in ${stack.startedInMs} ms; logs in ${stack.info.workDir}`);
    const processRssMb: Record<string, number> = { afterStackStart: rssMb() };
    process.env.ENV_DRIVER_STACK_FILE = stack.file;
    driver = await startDriver({ env: driverSettings });
    receiver = await startTimedReceiver();
    processRssMb.afterDriverStart = rssMb();
    const phases: Record<string, PhaseCost> = {};
    const figures = await measure(driver, receiver, phases);
    processRssMb.end = rssMb();
    const report = buildReport({
      figures,
      phases,
      parameters: { ...params, driverSettings },
      startedAt,
      stackStartMs: stack.startedInMs,
      processRssMb,
    });
    const text = JSON.stringify(report, null, 2);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${startedAt.toISOString().replace(/:/g, '-')}.json`), `${text}\n`);
    writeFileSync(join(dir, 'latest.json'), `${text}\n`);
    process.stdout.write(`${text}\n`);
    completed = true;
    return 0;
  } finally {
    progress('stopping');
    await stopAll(completed);
    clearTimeout(limit);
    // The stack's logs and etcd data (~100 MB) are kept only when something went wrong.
    if (completed) rmSync(stack.info.workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
