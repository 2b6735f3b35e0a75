// The invoker's callback: the result body (contract §2.3) and its delivery through the sendCallback activity,
// which retries within callback-retry-duration. Delivered once per environment, at least once per delivery.
import type { environmentActivities } from './activities';
import type { EnvironmentState } from './state';
import type { EnvironmentCreateResult, EnvironmentInput, ReadinessOutcome, ResultStatus } from './types';

type CallbackActivity = Pick<ReturnType<typeof environmentActivities>, 'sendCallback'>;

export function callbackBody(
  input: EnvironmentInput,
  status: ResultStatus,
  outcome: ReadinessOutcome | undefined,
): EnvironmentCreateResult {
  if (status === 'SUCCESS' && outcome?.ready) {
    return {
      environmentBaseUri: outcome.environmentBaseUri,
      workingDirectory: input.settings.workingDirectory,
      sshPassword: '',
      status,
    };
  }
  const reason = outcome && !outcome.ready ? outcome.reason : null;
  return { environmentBaseUri: null, workingDirectory: null, sshPassword: null, status, ...(reason ? { reason } : {}) };
}

export async function deliverCallback(
  activities: CallbackActivity,
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
