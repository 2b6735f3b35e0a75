// The one place that imports @kubernetes/client-node. Everything else asks for `KubeClients`.
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { V1Pod, V1Secret, V1Service, V1Status } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';

export type { V1Pod, V1Secret, V1Service, V1Status };
export { ApiException };

export interface KubeClients {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  /** Generic CRUD by apiVersion/kind: a new kind of object is data, not code. */
  objects: KubernetesObjectApi;
  watch: Watch;
  namespace: string;
}

export interface KubeConnectionOptions {
  /** A kubeconfig file; null means in-cluster service account, then the default kubeconfig lookup. */
  kubeconfig: string | null;
  /** null means the kubeconfig context's namespace (or the pod's own namespace in-cluster). */
  namespace: string | null;
}

/**
 * client-node 1.4 builds a new agent — hence a new TCP+TLS handshake — for every request. Keep one keep-alive
 * agent per distinct set of TLS options instead (a rotated client certificate gets a new one).
 */
function reuseConnections(kubeConfig: KubeConfig): void {
  type AgentFactory = (cluster: unknown, options: Record<string, unknown>) => unknown;
  const target = kubeConfig as unknown as { createAgent: AgentFactory };
  const create = target.createAgent.bind(kubeConfig);
  const agents = new Map<string, unknown>();
  target.createAgent = (cluster, options) => {
    const key = createHash('sha256').update(JSON.stringify(options)).digest('hex');
    let agent = agents.get(key);
    if (!agent) {
      agent = create(cluster, { ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
}

export function createKubeClients(options: KubeConnectionOptions): KubeClients {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
  else kubeConfig.loadFromDefault();
  reuseConnections(kubeConfig);
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    watch: new Watch(kubeConfig),
    namespace: options.namespace ?? contextNamespace ?? 'default',
  };
}

/** True when a kubeconfig file or an in-cluster service account can be found. */
export function kubernetesConfigured(kubeconfig: string | null): boolean {
  if (kubeconfig) return true;
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromDefault();
  } catch {
    return false;
  }
  // loadFromDefault falls back to a localhost:8080 cluster when nothing is configured.
  return kubeConfig.getCurrentCluster()?.server !== 'http://localhost:8080';
}

/** Request options for a JSON merge patch (the client otherwise sends a JSON patch). */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export const ROUTE_GROUP = { group: 'route.openshift.io', version: 'v1', plural: 'routes' } as const;
