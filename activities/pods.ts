// Waiting for the build pod: a watch for prompt reaction, polling with the configured backoff as fallback.
import type { RetryBudget } from '../workflows/types';
import { retryUntil } from './backoff';
import type { KubeClients } from './k8s/client';
import { classifyKubeError } from './k8s/errors';
import type { Manifest } from './objects';
import { readPodStatus, type PodReading } from './pod-status';

export type PodOutcome = Exclude<PodReading, { kind: 'waiting' }>;

/**
 * Resolves when the pod is Running or failed; throws BudgetExhausted (with the last reason) when `deadline`
 * passes; rejects with the signal's reason when cancelled.
 */
export async function awaitPodRunning(
  kube: KubeClients,
  podName: string,
  budget: RetryBudget,
  deadline: number,
  signal: AbortSignal,
): Promise<PodOutcome> {
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let fromWatch: ((outcome: PodOutcome) => void) | undefined;
  const watched = new Promise<PodOutcome>((resolve) => (fromWatch = resolve));
  const inspect = (pod: Manifest): PodOutcome | undefined => {
    const reading = readPodStatus(pod);
    if (reading.kind === 'waiting') throw new Error(reading.reason);
    return reading;
  };
  // Someone else deleted it (or our own destroy ran after a cancel): stop at once instead of polling a 404.
  const deleted: PodOutcome = {
    kind: 'failed',
    status: 'SYSTEM_ERROR',
    cause: 'PodDeleted',
    reason: `Pod ${podName} was deleted before it was running.`,
  };
  const stopWatch = watchPod(
    kube,
    podName,
    (type, pod) => {
      if (type === 'DELETED') return fromWatch!(deleted);
      try {
        const outcome = inspect(pod);
        if (outcome) fromWatch!(outcome);
      } catch {
        // still waiting: the next event will tell
      }
    },
    local.signal,
  );
  const polled = retryUntil(
    async () => {
      try {
        return inspect(await kube.core.readNamespacedPod({ name: podName, namespace: kube.namespace }));
      } catch (error) {
        if (classifyKubeError(error).kind === 'NotFound') return deleted;
        throw error;
      }
    },
    budget,
    deadline,
    local.signal,
    `Pod ${podName} is not running.`,
  );
  try {
    return await Promise.race([polled, watched]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    local.abort(new Error('done'));
    stopWatch();
    polled.catch(() => undefined);
  }
}

/** Keeps a watch open on one pod until `signal` aborts, re-opening it when the server closes it. */
function watchPod(
  kube: KubeClients,
  podName: string,
  onEvent: (type: string, pod: Manifest) => void,
  signal: AbortSignal,
): () => void {
  let current: AbortController | undefined;
  let reopen: NodeJS.Timeout | undefined;
  const open = () => {
    if (signal.aborted) return;
    kube.watch
      .watch(
        `/api/v1/namespaces/${kube.namespace}/pods`,
        { fieldSelector: `metadata.name=${podName}` },
        (type, pod) => {
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent(type, pod as Manifest);
        },
        () => {
          if (!signal.aborted) reopen = setTimeout(open, 1000);
        },
      )
      .then((controller) => {
        if (signal.aborted) controller.abort();
        else current = controller;
      })
      .catch(() => {
        if (!signal.aborted) reopen = setTimeout(open, 1000);
      });
  };
  open();
  return () => {
    clearTimeout(reopen);
    current?.abort();
  };
}
