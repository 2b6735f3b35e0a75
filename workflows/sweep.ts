// sweepWorkflow: one pass of the orphan sweeper. Run by the reaper Schedule and by complete-by-label.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SweepInput, SweepResult } from './types';

const { sweepOrphans } = proxyActivities<Pick<Activities, 'sweepOrphans'>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
});

export async function sweepWorkflow(input: SweepInput): Promise<SweepResult> {
  return sweepOrphans(input);
}
