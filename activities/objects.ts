// Create and delete calls shared by every resource family: idempotent create, 404-tolerant delete.
import type { KubeClients } from './k8s/client';
import { ROUTE_GROUP } from './k8s/client';
import { classifyKubeError } from './k8s/errors';
import { LABEL_DEPLOYMENT, LABEL_ENVIRONMENT, LABEL_ENVIRONMENT_ID, LABEL_MANAGED_BY, MANAGED_BY } from './deps';
import type { EnvironmentNames } from '../workflows/types';

export type Manifest = Record<string, any>;
export type ObjectKind = 'Pod' | 'Service' | 'Route' | 'Secret';

/** Every object we create carries these labels, whatever the operator's template says, so nothing is unfindable. */
export function withOwnLabels(manifest: Manifest, names: EnvironmentNames, deployment: string): Manifest {
  const metadata = manifest.metadata ?? {};
  return {
    ...manifest,
    metadata: {
      ...metadata,
      labels: {
        ...(metadata.labels ?? {}),
        [LABEL_ENVIRONMENT]: names.environmentLabel,
        [LABEL_ENVIRONMENT_ID]: names.environmentId,
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_DEPLOYMENT]: deployment,
      },
    },
  };
}

async function createRaw(kube: KubeClients, kind: ObjectKind, body: Manifest): Promise<Manifest> {
  const namespace = kube.namespace;
  switch (kind) {
    case 'Pod':
      return kube.core.createNamespacedPod({ namespace, body });
    case 'Service':
      return kube.core.createNamespacedService({ namespace, body });
    case 'Secret':
      return kube.core.createNamespacedSecret({ namespace, body });
    case 'Route':
      return kube.custom.createNamespacedCustomObject({ ...ROUTE_GROUP, namespace, body });
  }
}

export async function readObject(kube: KubeClients, kind: ObjectKind, name: string): Promise<Manifest> {
  const namespace = kube.namespace;
  switch (kind) {
    case 'Pod':
      return kube.core.readNamespacedPod({ name, namespace });
    case 'Service':
      return kube.core.readNamespacedService({ name, namespace });
    case 'Secret':
      return kube.core.readNamespacedSecret({ name, namespace });
    case 'Route':
      return kube.custom.getNamespacedCustomObject({ ...ROUTE_GROUP, namespace, name });
  }
}

/** Creates an object; an AlreadyExists for an object of the same environment is success (a retried attempt). */
export async function createObject(kube: KubeClients, kind: ObjectKind, body: Manifest): Promise<Manifest> {
  try {
    return await createRaw(kube, kind, body);
  } catch (error) {
    if (classifyKubeError(error).kind !== 'AlreadyExists') throw error;
    const existing = await readObject(kube, kind, body.metadata.name);
    const ours = existing.metadata?.labels?.[LABEL_ENVIRONMENT_ID] === body.metadata.labels?.[LABEL_ENVIRONMENT_ID];
    if (!ours) throw error;
    return existing;
  }
}

/** Deletes an object; true when it was there, false when it was already gone. */
export async function deleteObject(kube: KubeClients, kind: ObjectKind, name: string): Promise<boolean> {
  const namespace = kube.namespace;
  try {
    switch (kind) {
      case 'Pod':
        // Grace 0: there may be no kubelet to confirm a graceful stop, and the build is over anyway.
        await kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
        break;
      case 'Service':
        await kube.core.deleteNamespacedService({ name, namespace });
        break;
      case 'Secret':
        await kube.core.deleteNamespacedSecret({ name, namespace });
        break;
      case 'Route':
        await kube.custom.deleteNamespacedCustomObject({ ...ROUTE_GROUP, namespace, name });
        break;
    }
    return true;
  } catch (error) {
    if (classifyKubeError(error).kind === 'NotFound') return false;
    throw error;
  }
}
