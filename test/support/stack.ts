// Connection details of the real stack started by global-setup, for test files.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';

export interface StackInfo {
  temporalAddress: string;
  kubeServer: string;
  kubeconfig: string;
  userKubeconfig: string;
  workDir: string;
  workflowBundlePath: string;
  /** The same workflows with the OpenTelemetry workflow interceptors, for workers with tracing on. */
  tracedWorkflowBundlePath: string;
}

export function stackInfo(): StackInfo {
  const file = process.env.ENV_DRIVER_STACK_FILE;
  if (!file)
    throw new Error('The real stack is not running (ENV_DRIVER_STACK_FILE unset): run the tests with `npm test`.');
  return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
}

/** Admin clients bound to a brand-new namespace (namespaces never finish deleting without controllers). */
export async function freshNamespace(prefix = 'test', kubeconfig = stackInfo().kubeconfig): Promise<KubeClients> {
  const namespace = `${prefix}-${randomBytes(4).toString('hex')}`;
  const clients = createKubeClients({ kubeconfig, namespace });
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  return clients;
}
