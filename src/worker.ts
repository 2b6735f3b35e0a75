// The worker role: runs environment workflows and their activities against Kubernetes.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities';
import { deploymentLabelValue, NO_METRICS, type ActivityMetrics } from '../activities/deps';
import type { KubeClients } from '../activities/k8s/client';
import { createOutboundHttp } from '../activities/outbound-http';
import { outboundTracer } from '../activities/outbound-tracing';
import { probeRouteApi, type RouteApiProbe } from '../activities/k8s/route-api';
import { compileEnvironmentTemplates, type CompiledEnvironmentTemplates } from '../activities/templates';
import { ConfigError, type DriverConfig } from './config';
import { connectClient } from './temporal/client';
import type { TemporalTarget } from './temporal/connection';
import { ensureReaperSchedule } from './temporal/reaper-schedule';
import { createServiceIdentity } from './service-identity';
import type { Tracing } from './telemetry/tracing';
import { workerTracing } from './telemetry/worker-tracing';

/**
 * Compiles the configured templates once. Every role calls it at start, so a template that does not compile stops
 * the process there, naming where it came from and its line.
 */
export function compileTemplates(config: DriverConfig): CompiledEnvironmentTemplates {
  try {
    return compileEnvironmentTemplates(config.templates, config.templateOrigins);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export interface WorkerOptions {
  config: DriverConfig;
  target: TemporalTarget;
  kube: KubeClients;
  /** A prebuilt workflow bundle (tests and benchmarks build it once). */
  workflowBundle?: WorkflowBundleOption;
  /** Create or update the orphan reaper Schedule (default true). */
  reaper?: boolean;
  metrics?: ActivityMetrics;
  /** Tracing is on (src/telemetry/tracing.ts): workflow, activity and outbound spans. */
  tracing?: Tracing | null;
}

export interface EnvironmentWorker {
  worker: Worker;
  client: Client;
  /** What discovery said about the OpenShift Route API at start (route steps are skipped when not served). */
  routeApi: RouteApiProbe;
  close(): Promise<void>;
}

function runningCheck(client: Client) {
  return async (environmentId: string): Promise<boolean> => {
    try {
      return (await client.workflow.getHandle(environmentId).describe()).status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  };
}

export async function createEnvironmentWorker({
  config,
  target,
  kube,
  workflowBundle,
  reaper = true,
  metrics = NO_METRICS,
  tracing = null,
}: WorkerOptions): Promise<EnvironmentWorker> {
  // Before any connection: a bad template stops the worker here, naming its key and line.
  const templates = compileTemplates(config);
  const routeApi = await probeRouteApi(kube);
  const client = await connectClient(target);
  if (reaper) await ensureReaperSchedule(client, config);
  const connection = await NativeConnection.connect({
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
  });
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: { payloadCodecs: target.payloadCodecs },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    ...workerTracing(tracing, workflowBundle !== undefined),
    activities: createActivities({
      kube,
      templates,
      templateDefaults: config.templateDefaults,
      // One identity per worker: every activity shares its token.
      outbound: createOutboundHttp(
        createServiceIdentity(config.serviceIdentity, config.settings.httpRequestTimeoutMs),
        tracing ? outboundTracer(tracing.tracer) : undefined,
      ),
      isEnvironmentRunning: runningCheck(client),
      metrics,
      deployment: deploymentLabelValue(config.temporal.taskQueue),
      indy: config.indyUrl
        ? {
            url: config.indyUrl,
            requestTimeoutMs: config.settings.httpRequestTimeoutMs,
          }
        : null,
      artifactory: config.artifactory && {
        ...config.artifactory,
        requestTimeoutMs: config.settings.httpRequestTimeoutMs,
      },
      routeApi: routeApi.served,
      finalLog: config.bifrost.apiUrl ? { apiUrl: config.bifrost.apiUrl, maxDelayMs: config.bifrost.maxDelayMs } : null,
    }),
    // Readiness waits are mostly idle I/O: many fit in one process.
    maxConcurrentActivityTaskExecutions: 2000,
    maxConcurrentLocalActivityExecutions: 200,
    // Ready environments sleep on server-side timers; an evicted one replays its ~40 events when it wakes.
    maxCachedWorkflows: config.temporal.workflowCacheSize,
    shutdownGraceTime: '10s',
    // Heartbeats carry cancellation back to a readiness wait: without this they are throttled to 80% of the
    // heartbeat timeout, and a cancelled wait would keep its watch open that long.
    maxHeartbeatThrottleInterval: '2s',
    // A crashed worker's sticky queue holds the next workflow task this long before any worker may take it.
    stickyQueueScheduleToStartTimeout: '3s',
  });
  return {
    worker,
    client,
    routeApi,
    async close() {
      await connection.close();
      await client.connection.close();
    },
  };
}
