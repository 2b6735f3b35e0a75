// environmentWorkflow: one build environment from create to destroy. Deterministic and small: every wait on
// Kubernetes or HTTP lives in a heartbeating activity; the workflow only decides what happens next.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
} from '@temporalio/workflow';
import { environmentActivities } from './activities';
import { callbackBody, deliverCallback } from './callback';
import { DebugRequests } from './debug-requests';
import { CREATE_REFUSED } from './definitions';
import { registerHandlers, type CreateOutcome } from './handlers';
import { keepAlive, type StopControl } from './keep-alive';
import { EnvironmentState } from './state';
import type { EnvironmentInput, EnvironmentStatus, Phase, ReadinessOutcome, ResultStatus } from './types';

type Activities = ReturnType<typeof environmentActivities>;

export async function environmentWorkflow(input: EnvironmentInput): Promise<EnvironmentStatus> {
  const activities = environmentActivities(input.settings);
  const state = new EnvironmentState(input);
  const control: StopControl = { stopRequested: false };
  const debug = new DebugRequests();
  let created: CreateOutcome | undefined;
  registerHandlers({ environmentId: input.names.environmentId, state, control, debug, created: () => created });

  try {
    await activities.createPodAndService(input);
    created = { ok: true };
  } catch (error) {
    created = { ok: false, failure: createFailure(error) };
    state.enter('Failed', `Create refused: ${created.failure.message}`);
    await condition(allHandlersFinished);
    return state.snapshot();
  }

  state.enter('Starting', 'Pod and service created');
  const outcome = control.stopRequested ? undefined : await monitor(activities, input, () => control.stopRequested);
  const status = resultStatus(outcome);
  const reason = outcome && !outcome.ready ? outcome.reason : null;
  state.recordResult(status, reason, outcome?.ready ? outcome.environmentBaseUri : null);
  state.enter(phaseAfter(status), reason ?? undefined);
  await deliverCallback(activities, input, state, callbackBody(input, status, outcome));

  // Ready environments live until complete/cancel or their lifetime; failed ones are kept a while to inspect.
  if (status !== 'CANCELLED') await keepAlive(activities, input, state, control, debug);
  // Debug requests still waiting are answered before the objects go, so no Update waits forever.
  debug.take()({ error: `Environment ${input.names.environmentId} is being destroyed` });

  state.enter('Destroying');
  const destroyed = await activities.destroyEnvironment(input.names);
  state.enter('Destroyed', `Deleted ${destroyed.deleted.join(', ') || 'nothing (already gone)'}`);
  await condition(allHandlersFinished);
  return state.snapshot();
}

/** Runs the readiness activity until it concludes or a stop is requested (undefined = cancelled). */
async function monitor(
  activities: Activities,
  input: EnvironmentInput,
  stopped: () => boolean,
): Promise<ReadinessOutcome | undefined> {
  const scope = new CancellationScope();
  const readiness = scope.run(() => activities.awaitEnvironmentReady(input));
  const stop = condition(stopped).then(() => undefined);
  const first = await Promise.race([readiness, stop]);
  if (first !== undefined) return first;
  scope.cancel();
  await readiness.catch((error) => {
    if (!isCancellation(error)) throw error;
  });
  return undefined;
}

function resultStatus(outcome: ReadinessOutcome | undefined): ResultStatus {
  if (outcome === undefined) return 'CANCELLED';
  return outcome.ready ? 'SUCCESS' : outcome.status;
}

function phaseAfter(status: ResultStatus): Phase {
  if (status === 'SUCCESS') return 'Ready';
  if (status === 'CANCELLED') return 'Cancelled';
  return 'Failed';
}

/** The create error as the REST adapter should see it: the activity's own typed failure. */
function createFailure(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: cause.type ?? undefined,
      message: cause.message,
      details: cause.details as unknown[],
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    type: CREATE_REFUSED,
    message: (cause as Error)?.message ?? String(cause),
    nonRetryable: true,
  });
}
