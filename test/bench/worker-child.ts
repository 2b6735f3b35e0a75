// A worker alone in its own process (as DRIVER_ROLE=worker runs it), so its RSS is the worker's and nothing
// else's. Configured by the same environment variables as the test driver; answers { rss } over IPC.
import { Runtime } from '@temporalio/worker';
import { createKubeClients } from '../../activities/k8s/client';
import { loadConfig } from '../../src/config';
import { temporalTarget } from '../../src/temporal/connection';
import { createEnvironmentWorker } from '../../src/worker';

export interface ChildMemory {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  // The parent's stdout is a JSON document: native logs are forwarded here and written to stderr.
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.error, error: console.error },
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  const config = loadConfig(process.env);
  const target = temporalTarget(config.temporal, process.env.TEMPORAL_ADDRESS!);
  const kube = createKubeClients({ kubeconfig: config.kubernetes.kubeconfig, namespace: config.kubernetes.namespace });
  const { worker, close } = await createEnvironmentWorker({
    config,
    target,
    kube,
    workflowBundle: { codePath: process.env.BENCH_WORKFLOW_BUNDLE! },
    reaper: false,
  });
  const running = worker.run();
  const stop = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await close().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      global.gc?.();
      const m = process.memoryUsage();
      const memory: ChildMemory = { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
      process.send!({ type: 'memory', memory });
    } else if (message.type === 'stop') void stop();
  });
  // Never outlive the benchmark.
  process.on('disconnect', () => void stop());
  process.send!({ type: 'ready' });
  await running;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
