// After the callback: keep the environment until complete/cancel, its lifetime, or (in debug) its lease.
// Debug is the query-guarded branch: requests arrive as `complete` signals with enableDebug, and the answer
// (host/port or the error) is published in the `status` query, which the REST adapter waits on.
import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import type { environmentActivities } from './activities';
import type { EnvironmentState } from './state';
import type { EnvironmentInput } from './types';

export interface StopControl {
  stopRequested: boolean;
  pendingDebugRequests: number;
}

export async function keepAlive(
  activities: Pick<ReturnType<typeof environmentActivities>, 'enableDebug'>,
  input: EnvironmentInput,
  state: EnvironmentState,
  control: StopControl,
): Promise<void> {
  const { settings } = input;
  let until = Date.now() + (state.phase === 'Ready' ? settings.lifetimeMs : settings.failedGraceMs);
  for (;;) {
    const woke = await condition(
      () => control.stopRequested || control.pendingDebugRequests > 0,
      Math.max(until - Date.now(), 1),
    );
    if (control.stopRequested) return;
    if (!woke) {
      state.message(
        state.phase === 'Debugging'
          ? 'Debug lease expired'
          : state.phase === 'Ready'
            ? 'Lifetime expired'
            : 'Kept long enough for inspection',
      );
      return;
    }
    control.pendingDebugRequests = 0;
    if (state.phase !== 'Ready' && state.phase !== 'Debugging') {
      state.debugAnswered({
        error: `Environment ${input.names.environmentId} is ${state.phase}: debug needs a Ready environment`,
      });
      continue;
    }
    try {
      const access = await activities.enableDebug(input);
      until = Date.now() + settings.debugLeaseMs; // asking again renews the lease
      state.enter('Debugging');
      state.debugAnswered({ ...access, leaseExpiresAt: new Date(until).toISOString() });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      state.debugAnswered({
        error: cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause),
      });
    }
  }
}
