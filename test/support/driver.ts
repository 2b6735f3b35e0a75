// The driver under test: the real REST adapter and a real worker against the real stack, in a fresh namespace.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';
import { buildApp } from '../../src/api/app';
import type { Lifecycle } from '../../src/api/deps';
import { loadConfig, type DriverConfig } from '../../src/config';
import { createMetrics } from '../../src/metrics';
import { connectClient } from '../../src/temporal/client';
import { temporalTarget } from '../../src/temporal/connection';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { compileTemplates, createEnvironmentWorker, type EnvironmentWorker } from '../../src/worker';
import { freshNamespace, stackInfo } from './stack';

/** Short budgets so failure paths finish in seconds; every key is a real configuration key. */
export const TEST_SETTINGS: Record<string, string> = {
  ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '20',
  ENVIRONMENT_DRIVER_SERVICE_RUNNING_WAIT_FOR: '10',
  ENVIRONMENT_DRIVER_BUILD_AGENT_RUNNING_WAIT_FOR: '4',
  ENVIRONMENT_DRIVER_CALLBACK_RETRY_DURATION: '60',
  ENVIRONMENT_DRIVER_DESTROY_RETRY_DURATION: '60',
  ENVIRONMENT_DRIVER_FAILED_ENVIRONMENT_GRACE: '0',
  ENVIRONMENT_DRIVER_ACTIVITY_HEARTBEAT_TIMEOUT: '3',
  ENVIRONMENT_DRIVER_HTTP_CLIENT_CONNECT_TIMEOUT: '1',
  ENVIRONMENT_DRIVER_HTTP_CLIENT_REQUEST_TIMEOUT: '2',
};

export interface TestDriver {
  baseUrl: string;
  kube: KubeClients;
  client: Client;
  config: DriverConfig;
  lifecycle: Lifecycle;
  /** Environment variables that configure another process (e.g. a worker child) the same way. */
  env: Record<string, string>;
  /** On when `env` sets OTEL_* as src/main.ts reads them. */
  tracing: Tracing | null;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDriver(
  /**
   * `kubeconfig`: another control plane than the shared one (e.g. a cluster without the Route API), or another
   * user. `namespace`: an existing namespace to work in (e.g. where that user's Role is bound) instead of a new one.
   */
  options: {
    env?: Record<string, string>;
    worker?: boolean;
    kubeconfig?: string;
    namespace?: string;
    /** Another Temporal than the stack's dev server (e.g. the server on PostgreSQL). */
    temporalAddress?: string;
  } = {},
): Promise<TestDriver> {
  const stack = stackInfo();
  const temporalAddress = options.temporalAddress ?? stack.temporalAddress;
  const kubeconfig = options.kubeconfig ?? stack.kubeconfig;
  const kube = options.namespace
    ? createKubeClients({ kubeconfig, namespace: options.namespace })
    : await freshNamespace('env', kubeconfig);
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `environment-driver-${randomBytes(4).toString('hex')}`,
    DRIVER_LOCAL_MODE: 'true',
    KUBECONFIG: kubeconfig,
    KUBE_NAMESPACE: kube.namespace,
    SELF_BASE_URL: 'http://environment-driver.test:8080/',
    LOG_LEVEL: 'warn',
    ...TEST_SETTINGS,
    ...options.env,
  };
  const config = loadConfig(env);
  compileTemplates(config); // as src/main.ts does: a bad template stops the driver before anything starts
  const tracing = startTracing(env);
  const target = temporalTarget(config.temporal, temporalAddress);
  const client = await connectClient(target, tracing?.tracer);
  const lifecycle: Lifecycle = { shuttingDown: false };
  const metrics = createMetrics();
  const app = buildApp({ config, client, lifecycle, metrics, tracer: tracing?.tracer }, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };

  let current: EnvironmentWorker | null = null;
  let running: Promise<void> | null = null;
  const startWorker = async () => {
    // The reaper Schedule is tested on its own; here it would only add noise.
    current = await createEnvironmentWorker({
      config,
      target,
      kube,
      workflowBundle: { codePath: tracing ? stack.tracedWorkflowBundlePath : stack.workflowBundlePath },
      reaper: false,
      metrics: metrics.activities,
      tracing,
    });
    running = current.worker.run();
    return current.worker;
  };
  const stopWorker = async () => {
    const stopping = current;
    current = null;
    if (!stopping) return;
    if (stopping.worker.getState() === 'RUNNING') stopping.worker.shutdown();
    await running;
    await stopping.close();
  };
  if (options.worker !== false) {
    try {
      await startWorker();
    } catch (error) {
      // Nothing may outlive a driver that failed to start: an open listener or connection keeps jest running.
      await app.close();
      await client.connection.close();
      await tracing?.shutdown();
      throw error;
    }
  }

  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    kube,
    client,
    config,
    lifecycle,
    env,
    tracing,
    startWorker,
    stopWorker,
    async stop() {
      await app.close();
      await stopWorker();
      await client.connection.close();
      await tracing?.shutdown();
    },
  };
}
