// What a crashed driver of old could leave behind: every kind of object we create, labelled as ours, no workflow.
import { randomBytes } from 'node:crypto';
import type { KubeClients } from '../../activities/k8s/client';

/** Creates the leftovers of one environment and returns its id; `route: false` on a cluster without Routes. */
export async function createLeftovers(
  kube: KubeClients,
  label: string,
  deployment: string,
  { route = true } = {},
): Promise<string> {
  const id = `${label}-${randomBytes(3).toString('hex')}`;
  const metadata = (name: string) => ({
    name,
    labels: {
      environment: label,
      'pnc-environment-id': id,
      'app.kubernetes.io/managed-by': 'pnc-environment-driver',
      'pnc-environment-driver/deployment': deployment,
    },
  });
  const namespace = kube.namespace;
  await kube.core.createNamespacedPod({
    namespace,
    body: { metadata: metadata(`pnc-ba-pod-${id}`), spec: { containers: [{ name: 'c', image: 'x' }] } },
  });
  await kube.core.createNamespacedService({
    namespace,
    body: { metadata: metadata(`pnc-ba-service-${id}`), spec: { ports: [{ port: 80 }] } },
  });
  await kube.core.createNamespacedService({
    namespace,
    body: {
      metadata: metadata(`pnc-ba-ssh-${id}`),
      spec: { type: 'NodePort', ports: [{ name: '2222-ssh', port: 2222 }] },
    },
  });
  if (route) {
    await kube.custom.createNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      plural: 'routes',
      namespace,
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: metadata(`pnc-ba-route-${id}`),
        spec: { host: 'h', to: { kind: 'Service', name: 'x' } },
      },
    });
  }
  await kube.core.createNamespacedSecret({
    namespace,
    body: { metadata: metadata(`pnc-ba-secret-${id}`), stringData: { a: 'b' } },
  });
  return id;
}
