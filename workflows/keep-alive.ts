// After the callback: keep the environment until complete/cancel, its lifetime, or (in debug) its lease. Debug is
// the query-guarded branch: requests arrive as `debug` Updates (or `complete` signals with enableDebug) and each
// run of the branch answers every request taken before it, publishing the answer in the `status` query too.
import { ActivityFailure, condition } from '@temporalio/workflow';
import type { environmentActivities } from './activities';
import type { DebugAnswer, DebugRequests } from './debug-requests';
import type { EnvironmentState } from './state';
import type { EnvironmentInput } from './types';

export interface StopControl {
  stopRequested: boolean;
}

type DebugActivity = Pick<ReturnType<typeof environmentActivities>, 'enableDebug'>;

export async function keepAlive(
  activities: DebugActivity,
  input: EnvironmentInput,
  state: EnvironmentState,
  control: StopControl,
  debug: DebugRequests,
): Promise<void> {
  const { settings } = input;
  let until = Date.now() + (state.phase === 'Ready' ? settings.lifetimeMs : settings.failedGraceMs);
  for (;;) {
    const woke = await condition(() => control.stopRequested || debug.pending, Math.max(until - Date.now(), 1));
    if (control.stopRequested) return;
    if (!woke) {
      state.message(expiryMessage(state));
      return;
    }
    const reply = debug.take();
    const answer = await debugAccess(activities, input, state);
    if (!('error' in answer)) {
      state.enter('Debugging');
      until = Date.parse(answer.leaseExpiresAt); // asking again renews the lease
    }
    state.debugAnswered(answer);
    reply(answer);
  }
}

async function debugAccess(
  activities: DebugActivity,
  input: EnvironmentInput,
  state: EnvironmentState,
): Promise<DebugAnswer> {
  if (state.phase !== 'Ready' && state.phase !== 'Debugging') {
    return { error: `Environment ${input.names.environmentId} is ${state.phase}: debug needs a Ready environment` };
  }
  try {
    const access = await activities.enableDebug(input);
    return { ...access, leaseExpiresAt: new Date(Date.now() + input.settings.debugLeaseMs).toISOString() };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    return { error: cause instanceof Error ? cause.message : String(cause) };
  }
}

function expiryMessage(state: EnvironmentState): string {
  if (state.phase === 'Debugging') return 'Debug lease expired';
  if (state.phase === 'Ready') return 'Lifetime expired';
  return 'Kept long enough for inspection';
}
