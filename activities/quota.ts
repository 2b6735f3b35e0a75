// Explains a pod-running timeout: what the pod asked for against what the namespace quota has left.
import type { KubeClients } from './k8s/client';
import type { Manifest } from './objects';

/** Memory in GiB and CPU in cores from Kubernetes quantities ("4096Mi", "2", "2000m", "8Gi"). */
export function gibibytes(quantity: string | undefined): number {
  if (!quantity) return 0;
  const match = /^([0-9.]+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity);
  if (!match) return 0;
  const factor: Record<string, number> = {
    Ki: 1 / 1024 ** 2,
    Mi: 1 / 1024,
    Gi: 1,
    Ti: 1024,
    K: 1e3 / 1024 ** 3,
    M: 1e6 / 1024 ** 3,
    G: 1e9 / 1024 ** 3,
    T: 1e12 / 1024 ** 3,
  };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1 / 1024 ** 3);
}

export function cores(quantity: string | undefined): number {
  if (!quantity) return 0;
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

const round = (n: number) => Math.round(n * 100) / 100;

function requested(pod: Manifest): { memory: number; cpu: number } {
  const containers: Manifest[] = pod.spec?.containers ?? [];
  return containers.reduce<{ memory: number; cpu: number }>(
    (sum, c) => ({
      memory: sum.memory + gibibytes(c.resources?.limits?.memory ?? c.resources?.requests?.memory),
      cpu: sum.cpu + cores(c.resources?.limits?.cpu ?? c.resources?.requests?.cpu),
    }),
    { memory: 0, cpu: 0 },
  );
}

export async function describePodResources(kube: KubeClients, podName: string): Promise<string> {
  try {
    const pod = await kube.core.readNamespacedPod({ name: podName, namespace: kube.namespace });
    const asked = requested(pod);
    const line = `\nPod ${podName} requested resources: ${round(asked.memory)}GB ${round(asked.cpu)}cpu`;
    const quotas = await kube.core.listNamespacedResourceQuota({ namespace: kube.namespace });
    const quota = quotas.items[0]?.status;
    if (!quota?.hard) return `${line}; Available resources: no quota in namespace ${kube.namespace}`;
    const left = (key: string, unit: (q: string | undefined) => number) =>
      round(unit(quota.hard?.[key]) - unit(quota.used?.[key]));
    return `${line}; Available resources: ${left('limits.memory', gibibytes)}GB ${left('limits.cpu', cores)}cpu`;
  } catch (error) {
    return `\nPod ${podName}: resources unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}
