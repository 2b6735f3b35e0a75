// What a test can see besides HTTP: every object in the driver's namespace and the driver's workflows in Temporal.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { KubeClients } from '../../activities/k8s/client';
import type { TestDriver } from './driver';
import { eventually } from './invoker';

/** Every pod and service in the namespace, whatever its labels: a rolled-back or refused create leaves none. */
export async function namespaceObjects(kube: KubeClients): Promise<string[]> {
  const namespace = kube.namespace;
  const [pods, services] = await Promise.all([
    kube.core.listNamespacedPod({ namespace }),
    kube.core.listNamespacedService({ namespace }),
  ]);
  return [
    ...pods.items.map((o) => `Pod/${o.metadata!.name}`),
    ...services.items.map((o) => `Service/${o.metadata!.name}`),
  ];
}

/** Ids of the workflows started on this driver's task queue (each test driver has its own queue). */
export async function workflowIds(driver: TestDriver): Promise<string[]> {
  const ids: string[] = [];
  const query = `TaskQueue = '${driver.config.temporal.taskQueue}'`;
  for await (const workflow of driver.client.workflow.list({ query })) ids.push(workflow.workflowId);
  return ids.sort();
}

export interface RunningActivity {
  attempt: number;
  workerIdentity: string;
}

/**
 * Waits until `activityType` of the workflow runs and has heartbeated, and says on which worker: proof that a
 * worker really holds the attempt (a scheduled event alone does not tell whether any worker picked it up).
 */
export function awaitActivityRunning(
  client: Client,
  workflowId: string,
  activityType: string,
  timeoutMs = 30_000,
): Promise<RunningActivity> {
  return eventually(
    `${activityType} running in ${workflowId}`,
    async () => {
      const { raw } = await client.workflow.getHandle(workflowId).describe();
      const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activityType);
      if (!pending?.lastHeartbeatTime || !pending.lastWorkerIdentity) return undefined;
      return { attempt: pending.attempt ?? 0, workerIdentity: pending.lastWorkerIdentity };
    },
    timeoutMs,
  );
}

/** The ActivityTaskStarted events of `activityType`, in order: which worker ran which attempt. */
export async function activityStarts(
  client: Client,
  workflowId: string,
  activityType: string,
): Promise<RunningActivity[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const scheduledIds = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
      .map((e) => String(e.eventId)),
  );
  return events
    .filter(
      (e) =>
        e.activityTaskStartedEventAttributes &&
        scheduledIds.has(String(e.activityTaskStartedEventAttributes.scheduledEventId)),
    )
    .map((e) => ({
      attempt: e.activityTaskStartedEventAttributes!.attempt ?? 0,
      workerIdentity: e.activityTaskStartedEventAttributes!.identity ?? '',
    }));
}

/** Names of the signals in the workflow's history: a signal is recorded before the signaller's call returns. */
export async function signalsReceived(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName ?? ''] : [],
  );
}

const durationMs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(d?.seconds ?? 0) * 1000 + Math.round((d?.nanos ?? 0) / 1e6);

/**
 * The workflow's history as short lines, in order: `scheduled <activity>`, `completed <activity>`, `timer <ms>`
 * (a durable timer started for that long), `timer fired`, `marker <name>`, `signal <name>`, `<other event type>`.
 * Durations are the workflow's own decisions, so tests can check them without measuring time.
 */
export async function historyOutline(client: Client, workflowId: string): Promise<string[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const activityOf = new Map<string, string>();
  return events.map((e) => {
    if (e.activityTaskScheduledEventAttributes) {
      const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
      activityOf.set(String(e.eventId), name);
      return `scheduled ${name}`;
    }
    if (e.activityTaskCompletedEventAttributes) {
      return `completed ${activityOf.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId))}`;
    }
    if (e.timerStartedEventAttributes) return `timer ${durationMs(e.timerStartedEventAttributes.startToFireTimeout)}`;
    if (e.timerFiredEventAttributes) return 'timer fired';
    if (e.markerRecordedEventAttributes) return `marker ${e.markerRecordedEventAttributes.markerName}`;
    if (e.workflowExecutionSignaledEventAttributes)
      return `signal ${e.workflowExecutionSignaledEventAttributes.signalName}`;
    return String(temporal.api.enums.v1.EventType[e.eventType ?? 0]);
  });
}
