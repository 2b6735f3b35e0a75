// Plays the kubelet: there is none on the test control plane, so tests set pod status themselves.
import { mergePatch, type KubeClients } from '../../activities/k8s/client';

async function patchStatus(clients: KubeClients, name: string, status: Record<string, unknown>): Promise<void> {
  await clients.core.patchNamespacedPodStatus({ name, namespace: clients.namespace, body: { status } }, mergePatch);
}

export function markPodRunning(clients: KubeClients, name: string): Promise<void> {
  const now = new Date().toISOString();
  return patchStatus(clients, name, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
    containerStatuses: [
      {
        name: 'pnc-build-agent-container',
        ready: true,
        restartCount: 0,
        image: 'builder',
        imageID: '',
        state: { running: { startedAt: now } },
      },
    ],
  });
}

/** A container stuck waiting, e.g. ErrImagePull or InvalidImageName; `init` puts it on an init container. */
export function markContainerWaiting(clients: KubeClients, name: string, reason: string, init = false): Promise<void> {
  const containerStatus = [
    {
      name: init ? 'init' : 'pnc-build-agent-container',
      ready: false,
      restartCount: 0,
      image: 'builder',
      imageID: '',
      state: { waiting: { reason, message: `${reason} (set by the test kubelet)` } },
    },
  ];
  return patchStatus(clients, name, {
    phase: 'Pending',
    ...(init ? { initContainerStatuses: containerStatus } : { containerStatuses: containerStatus }),
  });
}
