// environmentWorkflow: one build environment from create to destroy. Deterministic and small: every wait on
// Kubernetes or HTTP lives in a heartbeating activity; the workflow only decides what happens next.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import { environmentActivities } from './activities';
import { cancelSignal, completeSignal, createdUpdate, statusQuery } from './definitions';
import { keepAlive, type StopControl } from './keep-alive';
import { EnvironmentState } from './state';
import type {
  EnvironmentCreateResult,
  EnvironmentInput,
  EnvironmentStatus,
  ReadinessOutcome,
  ResultStatus,
} from './types';

type Activities = ReturnType<typeof environmentActivities>;
type CreateOutcome = { ok: true } | { ok: false; failure: ApplicationFailure };

export async function environmentWorkflow(input: EnvironmentInput): Promise<EnvironmentStatus> {
  const { names, settings } = input;
  const activities = environmentActivities(settings);
  const state = new EnvironmentState(input);
  let created: CreateOutcome | undefined;
  const control: StopControl = { stopRequested: false, pendingDebugRequests: 0 };

  setHandler(createdUpdate, async () => {
    await condition(() => created !== undefined);
    if (!created!.ok) throw created!.failure;
    return { environmentId: names.environmentId };
  });
  setHandler(cancelSignal, () => {
    control.stopRequested = true;
    state.message('Cancel requested');
  });
  setHandler(completeSignal, (args) => {
    if (args?.enableDebug) {
      control.pendingDebugRequests++;
      state.debugRequested();
      return;
    }
    control.stopRequested = true;
    state.message('Complete requested');
  });
  setHandler(statusQuery, () => state.snapshot());

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
  const status: ResultStatus = outcome === undefined ? 'CANCELLED' : outcome.ready ? 'SUCCESS' : outcome.status;
  const reason = outcome && !outcome.ready ? outcome.reason : null;
  state.recordResult(status, reason, outcome?.ready ? outcome.environmentBaseUri : null);
  state.enter(status === 'SUCCESS' ? 'Ready' : status === 'CANCELLED' ? 'Cancelled' : 'Failed', reason ?? undefined);
  await callback(activities, input, state, callbackBody(input, status, outcome, reason));

  // Ready environments live until complete/cancel or their lifetime; failed ones are kept a while to inspect.
  if (status !== 'CANCELLED') await keepAlive(activities, input, state, control);

  state.enter('Destroying');
  const destroyed = await activities.destroyEnvironment(names);
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

function callbackBody(
  input: EnvironmentInput,
  status: ResultStatus,
  outcome: ReadinessOutcome | undefined,
  reason: string | null,
): EnvironmentCreateResult {
  if (status !== 'SUCCESS' || !outcome?.ready) {
    return {
      environmentBaseUri: null,
      workingDirectory: null,
      sshPassword: null,
      status,
      ...(reason ? { reason } : {}),
    };
  }
  return {
    environmentBaseUri: outcome.environmentBaseUri,
    workingDirectory: input.settings.workingDirectory,
    sshPassword: '',
    status,
  };
}

async function callback(
  activities: Activities,
  input: EnvironmentInput,
  state: EnvironmentState,
  result: EnvironmentCreateResult,
): Promise<void> {
  const request = input.request.completionCallback;
  if (!request) {
    state.message('No completion callback in the request: nothing to notify');
    return;
  }
  try {
    await activities.sendCallback({
      names: input.names,
      request,
      result,
      includeSshPassword: input.request.allowSshDebug,
      requestTimeoutMs: input.settings.httpRequestTimeoutMs,
    });
    state.markDelivered(true);
    state.message(`Callback ${result.status} delivered`);
  } catch (error) {
    state.message(`Callback ${result.status} not delivered within the retry budget: ${(error as Error).message}`);
  }
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
    type: 'CREATE_REFUSED',
    message: (cause as Error)?.message ?? String(cause),
    nonRetryable: true,
  });
}
