// Reading workflow histories: event counts by type, and where the time of /create and of readiness goes,
// from the server's own event timestamps (dispatch to the worker, workflow tasks, activities).
import type { TestDriver } from '../support/driver';
import { summarize, withTimeout, type Summary } from './stats';

type Stamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
type Event = Record<string, unknown> & { eventId?: unknown; eventTime?: Stamp };

function ms(ts: Stamp): number {
  if (!ts) return NaN;
  const s = ts.seconds as number | { toNumber(): number } | undefined;
  const seconds = typeof s === 'object' && s !== null ? s.toNumber() : Number(s ?? 0);
  return seconds * 1000 + (ts.nanos ?? 0) / 1e6;
}

/** An event's type, named after its `…EventAttributes` field (no proto enum import needed). */
function eventType(event: Event): string {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && event[k] != null);
  return key ? key.replace(/EventAttributes$/, '') : 'unknown';
}

const num = (v: unknown): number =>
  typeof v === 'object' && v !== null ? (v as { toNumber(): number }).toNumber() : Number(v);
type Attributes = { activityType?: { name?: string }; scheduledEventId?: unknown } | undefined;

export class History {
  constructor(readonly events: Event[]) {}

  static async fetch(driver: TestDriver, environmentId: string): Promise<History> {
    const history = await withTimeout(
      driver.client.workflow.getHandle(environmentId).fetchHistory(),
      10_000,
      'fetchHistory',
    );
    return new History((history.events ?? []) as Event[]);
  }

  byType(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const event of this.events) counts[eventType(event)] = (counts[eventType(event)] ?? 0) + 1;
    return counts;
  }

  /** The first event of `type` after the event with id `afterId` (0: from the start). */
  private find(type: string, afterId = 0, where: (e: Event) => boolean = () => true): Event | undefined {
    return this.events.find((e) => num(e.eventId) > afterId && eventType(e) === type && where(e));
  }

  /** Epoch ms of the first event of `type` after event `afterId`. */
  at(type: string, afterId = 0): number {
    return ms(this.find(type, afterId)?.eventTime);
  }

  idOf(type: string, afterId = 0): number {
    return num(this.find(type, afterId)?.eventId ?? NaN);
  }

  /** Scheduled, started and completed times (epoch ms) of the first activity of this type, and its completion's id. */
  activity(name: string): { scheduled: number; started: number; completed: number; completedId: number } {
    const scheduled = this.find(
      'activityTaskScheduled',
      0,
      (e) => (e.activityTaskScheduledEventAttributes as Attributes)?.activityType?.name === name,
    );
    const id = num(scheduled?.eventId ?? NaN);
    const of = (type: string) =>
      this.find(type, 0, (e) => num((e[`${type}EventAttributes`] as Attributes)?.scheduledEventId) === id);
    const completed = of('activityTaskCompleted');
    return {
      scheduled: ms(scheduled?.eventTime),
      started: ms(of('activityTaskStarted')?.eventTime),
      completed: ms(completed?.eventTime),
      completedId: num(completed?.eventId ?? NaN),
    };
  }
}

/** /create: workflow start → update completed, around the createPodAndService activity. */
export function createTimeline(h: History) {
  const started = h.at('workflowExecutionStarted');
  const create = h.activity('createPodAndService');
  const next = h.idOf('workflowTaskStarted', create.completedId);
  return {
    /** Workflow started → first workflow task handed to the worker (history → matching → poll). */
    startToFirstWorkflowTask: h.at('workflowTaskStarted') - started,
    /** First workflow task on the worker: update accepted, create activity scheduled. */
    firstWorkflowTask: h.at('workflowTaskCompleted') - h.at('workflowTaskStarted'),
    activityDispatch: create.started - create.scheduled,
    /** The create activity: render templates, parallel pod+service create. */
    activityRun: create.completed - create.started,
    secondWorkflowTaskDispatch: h.at('workflowTaskStarted', create.completedId) - create.completed,
    /** The workflow task after it: update completed, readiness activity scheduled. */
    secondWorkflowTask: h.at('workflowTaskCompleted', next) - h.at('workflowTaskStarted', create.completedId),
    serverSide: h.at('workflowExecutionUpdateCompleted') - started,
  };
}

/** Pod marked Running (epoch ms `t0`) → callback received (`callbackAt`), around awaitEnvironmentReady and sendCallback. */
export function readinessTimeline(h: History, t0: number, callbackAt: number) {
  const ready = h.activity('awaitEnvironmentReady');
  const callback = h.activity('sendCallback');
  const next = h.idOf('workflowTaskStarted', ready.completedId);
  return {
    /** Watch event, service read, agent ping, activity completion reaching the server. */
    runningToReadinessCompleted: ready.completed - t0,
    workflowTaskDispatch: h.at('workflowTaskStarted', ready.completedId) - ready.completed,
    workflowTask: h.at('workflowTaskCompleted', next) - h.at('workflowTaskStarted', ready.completedId),
    callbackActivityDispatch: callback.started - callback.scheduled,
    /** Callback activity started on the worker → the invoker has the request. */
    callbackActivityToReceived: callbackAt - callback.started,
  };
}

/** p50/p99 of each part over many environments. */
export function summarizeParts<T extends Record<string, number>>(parts: T[]): Record<keyof T, Summary> {
  const keys = Object.keys(parts[0] ?? {}) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, summarize(parts.map((p) => p[k]))])) as Record<keyof T, Summary>;
}
