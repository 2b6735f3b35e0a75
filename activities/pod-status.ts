// How a pod's status reads to the driver (contract §3.3, `PodErrorStatuses`).
import { POD_FAILED_MESSAGE } from './messages';
import type { Manifest } from './objects';

/** In the Java enum's order: the first that matches wins. `retryable` ones become SYSTEM_ERROR. */
export const POD_ERROR_STATUSES: ReadonlyArray<{ status: string; retryable: boolean }> = [
  { status: 'Failed', retryable: true },
  { status: 'Unknown', retryable: true },
  { status: 'CrashLoopBackOff', retryable: true },
  { status: 'ErrImagePull', retryable: true },
  { status: 'ImagePullBackOff', retryable: true },
  { status: 'Error', retryable: true },
  { status: 'ContainerCannotRun', retryable: true },
  { status: 'InvalidImageName', retryable: false },
];

export type PodReading =
  | { kind: 'running' }
  /** `cause` is a short machine-readable word for metrics: the pod status that matched, or what timed out. */
  | { kind: 'failed'; status: 'FAILED' | 'SYSTEM_ERROR'; reason: string; cause: string }
  | { kind: 'waiting'; reason: string };

export function readPodStatus(pod: Manifest): PodReading {
  const name = pod.metadata?.name;
  const phase: string | undefined = pod.status?.phase;
  const containers = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const reasons: string[] = containers.flatMap((c: Manifest) => [
    c.state?.terminated?.reason,
    c.state?.waiting?.reason,
  ]);
  const observed = [phase, ...reasons].filter((s): s is string => typeof s === 'string');
  const match = POD_ERROR_STATUSES.find((e) => observed.includes(e.status));
  if (match) {
    return {
      kind: 'failed',
      cause: match.status,
      status: match.retryable ? 'SYSTEM_ERROR' : 'FAILED',
      reason: `Pod failed with status: ${match.status}${POD_FAILED_MESSAGE}`,
    };
  }
  if (phase === 'Running') return { kind: 'running' };
  return { kind: 'waiting', reason: `Pod ${name} is not running.` };
}
