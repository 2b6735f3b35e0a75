// The orphan reaper: a Temporal Schedule, created (or brought up to date) idempotently when a worker starts.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
} from '@temporalio/client';
import { SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import type { SweepInput } from '../../workflows/types';
import type { DriverConfig } from '../config';

/** One reaper per task queue (deployments sharing a Temporal namespace keep theirs apart). */
export const reaperScheduleId = (taskQueue: string) => `${taskQueue}-orphan-reaper`;

export async function ensureReaperSchedule(client: Client, config: DriverConfig): Promise<void> {
  const input: SweepInput = { labelSelector: '', olderThanMs: config.reaper.graceMs };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: SWEEP_WORKFLOW_TYPE,
    workflowId: `${reaperScheduleId(config.temporal.taskQueue)}-run`,
    taskQueue: config.temporal.taskQueue,
    args: [input],
  };
  const spec = { intervals: [{ every: config.reaper.intervalMs }] };
  try {
    await client.schedule.create({
      scheduleId: reaperScheduleId(config.temporal.taskQueue),
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    // Another worker (or an earlier version) made it: keep one schedule, with today's settings.
    await client.schedule
      .getHandle(reaperScheduleId(config.temporal.taskQueue))
      .update((previous) => ({ ...previous, spec, action }));
  }
}
