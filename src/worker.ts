// The worker role: runs environment workflows and their activities against Kubernetes.
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { KubeClients } from '../activities/k8s/client';
import type { DriverConfig } from './config';
import type { TemporalTarget } from './temporal/connection';

export interface WorkerOptions {
  config: DriverConfig;
  target: TemporalTarget;
  kube: KubeClients;
  /** A prebuilt workflow bundle (tests and benchmarks build it once). */
  workflowBundle?: WorkflowBundleOption;
}

export async function createEnvironmentWorker({ config, target, kube, workflowBundle }: WorkerOptions): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  return Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({
      kube,
      templates: config.templates,
      templateDefaults: config.templateDefaults,
      callbackAuthorization: config.callbackAuthorization,
    }),
    // Readiness waits are mostly idle I/O: many fit in one process.
    maxConcurrentActivityTaskExecutions: 2000,
    maxConcurrentLocalActivityExecutions: 200,
    maxCachedWorkflows: 2000,
    shutdownGraceTime: '10s',
  });
}
