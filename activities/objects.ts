// Create, read, list and delete for every kind of object an environment owns, through the generic
// KubernetesObjectApi: the kinds are a table of apiVersions, not a switch. Create is idempotent for our own
// objects; delete treats 404 as done.
import type { KubeClients } from './k8s/client';
import { classifyKubeError } from './k8s/errors';
import { LABEL_DEPLOYMENT, LABEL_ENVIRONMENT, LABEL_ENVIRONMENT_ID, LABEL_MANAGED_BY, MANAGED_BY } from './deps';
import type { EnvironmentNames } from '../workflows/types';

export type Manifest = Record<string, any>;

/** The kinds an environment may own, and where the API serves them. */
export const OBJECT_API_VERSIONS = {
  Pod: 'v1',
  Service: 'v1',
  Secret: 'v1',
  Route: 'route.openshift.io/v1',
} as const;
export type ObjectKind = keyof typeof OBJECT_API_VERSIONS;

/** Grace 0 for pods: there may be no kubelet to confirm a graceful stop, and the build is over anyway. */
const DELETE_GRACE_SECONDS: Partial<Record<ObjectKind, number>> = { Pod: 0 };

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

function header(kube: KubeClients, kind: ObjectKind, name: string) {
  return { apiVersion: OBJECT_API_VERSIONS[kind], kind, metadata: { name, namespace: kube.namespace } };
}

export async function readObject(kube: KubeClients, kind: ObjectKind, name: string): Promise<Manifest> {
  return kube.objects.read(header(kube, kind, name));
}

export async function listObjects(kube: KubeClients, kind: ObjectKind, labelSelector: string): Promise<Manifest[]> {
  const apiVersion = OBJECT_API_VERSIONS[kind];
  const list = await kube.objects.list(
    apiVersion,
    kind,
    kube.namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    labelSelector,
  );
  return list.items;
}

/** Creates an object; an AlreadyExists for an object of the same environment is success (a retried attempt). */
export async function createObject(kube: KubeClients, kind: ObjectKind, body: Manifest): Promise<Manifest> {
  const spec: Manifest = {
    ...body,
    kind,
    apiVersion: body.apiVersion ?? OBJECT_API_VERSIONS[kind],
    metadata: { ...body.metadata, namespace: kube.namespace },
  };
  try {
    return await kube.objects.create(spec);
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
  try {
    await kube.objects.delete(header(kube, kind, name), undefined, undefined, DELETE_GRACE_SECONDS[kind]);
    return true;
  } catch (error) {
    if (classifyKubeError(error).kind === 'NotFound') return false;
    throw error;
  }
}
