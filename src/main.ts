// `npm start`: the driver's main job. API and worker roles in one process (DRIVER_ROLE picks one), plus, for a
// laptop, an embedded Temporal dev server and a local control plane when nothing else is configured.
import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKubeClients, kubernetesConfigured } from '../activities/k8s/client';
import { buildApp } from './api/app';
import type { Lifecycle } from './api/deps';
import { ConfigError, loadConfig } from './config';
import { createLogging } from './logging/logger';
import { installTemporalLogging } from './logging/temporal';
import { createMetrics } from './metrics';
import { ensureBinaries, type Binaries } from './local/binaries';
import { startControlPlane } from './local/control-plane';
import { LocalStack } from './local/local-stack';
import { startTemporalDevServer } from './local/temporal-dev-server';
import { startTracing } from './telemetry/tracing';
import { connectClient } from './temporal/client';
import { temporalTarget } from './temporal/connection';
import { compileTemplates, createEnvironmentWorker, type EnvironmentWorker } from './worker';
import { startWorkerHttp } from './worker-http';

async function main(): Promise<void> {
  const config = loadConfig();
  // A template that does not compile stops every role here, naming where it came from and its line.
  compileTemplates(config);
  // One stream: our lines, Fastify's request lines and the Temporal SDK's (worker, bundler, workflows, activities).
  const logging = createLogging({
    level: config.logLevel,
    format: config.logFormat,
    base: { service: 'environment-driver', role: config.role },
  });
  const log = logging.log;
  // Before any client, server or worker exists: they read the tracer (null when no OTEL_* variable asks for it).
  const tracing = startTracing(process.env, (error) => log.warn({ err: error }, 'OpenTelemetry: spans not exported'));
  if (tracing) log.info('OpenTelemetry tracing on');
  if (config.role !== 'api') installTemporalLogging(log);
  const cleanups: (() => Promise<void>)[] = [];
  const lifecycle: Lifecycle = { shuttingDown: false };
  const metrics = createMetrics();

  // Looked up (or built) once, only when something local has to be started.
  let binaries: Promise<Binaries> | null = null;
  const localBinaries = () => (binaries ??= ensureBinaries());
  // Embedded servers are supervised: restarted on the same ports and data when they die.
  const local = new LocalStack(join(config.temporal.dataDir, 'local-stack.json'), log);

  let address = config.temporal.address;
  if (!address) {
    mkdirSync(config.temporal.dataDir, { recursive: true });
    const dev = await startTemporalDevServer(
      (await localBinaries()).temporal,
      {
        dbFile: join(config.temporal.dataDir, 'temporal.db'),
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        logDir: config.temporal.dataDir,
      },
      local.supervision,
    );
    local.add(dev.server);
    cleanups.push(dev.stop);
    address = dev.address;
    log.info({ address, webUi: dev.uiUrl, data: config.temporal.dataDir }, 'embedded Temporal dev server started');
  }
  const target = temporalTarget(config.temporal, address);

  let worker: EnvironmentWorker | null = null;
  if (config.role !== 'api') {
    let kubeconfig = config.kubernetes.kubeconfig;
    if (!kubernetesConfigured(kubeconfig)) {
      const plane = await startControlPlane(await localBinaries(), join(config.temporal.dataDir, 'kube'), {
        supervision: local.supervision,
      });
      local.add(...plane.children);
      cleanups.push(plane.stop);
      kubeconfig = plane.kubeconfig;
      log.warn(
        { server: plane.server, kubeconfig },
        'no Kubernetes configured: started a local kube-apiserver + etcd. No kubelet runs there, so pods stay Pending unless something sets their status',
      );
    }
    const kube = createKubeClients({ kubeconfig, namespace: config.kubernetes.namespace });
    worker = await createEnvironmentWorker({ config, target, kube, metrics: metrics.activities, tracing });
    log.info(
      { taskQueue: config.temporal.taskQueue, namespace: kube.namespace, serviceIdentity: config.serviceIdentity.type },
      'worker started',
    );
    if (!worker.routeApi.served) {
      log.warn(
        { agentHost: config.settings.agentHost },
        'the cluster does not serve OpenShift Routes (route.openshift.io/v1): route steps are skipped, debug answers with build-agent.host and the ssh NodePort',
      );
    } else if (worker.routeApi.error) {
      log.warn({ error: worker.routeApi.error }, 'could not discover the Route API: assuming Routes are served');
    }
  }
  const workerRun = worker?.worker.run();

  let app: FastifyInstance | null = null;
  if (config.role !== 'worker') {
    const client = await connectClient(target, tracing?.tracer);
    app = buildApp(
      { config, client, lifecycle, metrics, embeddedChecks: local.checks, tracer: tracing?.tracer },
      { logger: logging.fastifyOptions },
    );
    await app.listen({ host: config.http.host, port: config.http.port });
  } else {
    const probe = await startWorkerHttp(metrics, config.http.host, config.http.port, local.checks);
    cleanups.push(() => new Promise((resolve) => probe.close(() => resolve())));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C: stop now
    stopping = true;
    local.halt(); // first: a child stopping from now on is deliberate, not a crash to repair
    // New /create calls get 503 at once; in-flight environments are durable and continue on any worker.
    lifecycle.shuttingDown = true;
    log.info({ signal, graceMs: config.http.shutdownGraceMs }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), config.http.shutdownGraceMs + 15_000).unref();
    // Keep answering (503 for /create, not-ready for probes) while load balancers notice, then close.
    if (app) await new Promise((r) => setTimeout(r, config.http.shutdownGraceMs));
    await app?.close();
    // The SDK's runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
    if (worker?.worker.getState() === 'RUNNING') worker.worker.shutdown();
    await workerRun?.catch((error) => log.error({ err: error }, 'worker stopped with an error'));
    await worker?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
    // Last: the spans of everything above are exported before the process ends.
    await tracing?.shutdown().catch((error) => log.warn({ err: error }, 'could not export the last spans'));
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  workerRun?.catch((error) => {
    log.fatal({ err: error }, 'worker failed');
    void shutdown('worker-failure');
  });
}

main().catch((error: Error) => {
  // The configuration may be what failed: log in the format the environment asks for, at any level.
  const format =
    process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : 'auto';
  // A configuration error names the key: its stack would only bury that.
  createLogging({ level: 'info', format, base: { service: 'environment-driver' } }).log.fatal(
    error instanceof ConfigError ? {} : { err: error },
    `environment-driver failed to start: ${error.message}`,
  );
  process.exit(1);
});
