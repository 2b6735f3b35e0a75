// The invoker's callback: the result body (contract §2.3) and its delivery through the sendCallback activity,
// which retries within callback-retry-duration. Delivered once per environment, at least once per delivery.
import type { environmentActivities } from './activities';
import type { EnvironmentState } from './state';
import type {
  EnvironmentCreateResult,
  EnvironmentInput,
  FinalLogSource,
  ReadinessOutcome,
  ResultStatus,
} from './types';

type CallbackActivity = Pick<ReturnType<typeof environmentActivities>, 'sendCallback'>;

/** Bounds of the final log's source in the activity input (hence in history). */
const FINAL_LOG_MESSAGES = 30;
const FINAL_LOG_MESSAGE_LENGTH = 500;

/** The environment's story so far, for the user log uploaded to Bifrost before the callback. No secret is in it. */
export function finalLogSource(input: EnvironmentInput, state: EnvironmentState): FinalLogSource {
  const { createdAt, conditions, messages } = state.snapshot();
  return {
    headers: input.context.headers,
    createdAt,
    conditions,
    messages: messages
      .slice(-FINAL_LOG_MESSAGES)
      .map((message) => ({ ...message, text: message.text.slice(0, FINAL_LOG_MESSAGE_LENGTH) })),
  };
}

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
    // No final log either: it rides in the callback activity (one event fewer per environment), and the Java
    // driver never uploaded one without a callback (it failed on the missing URI before its upload).
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
      finalLog: finalLogSource(input, state),
    });
    state.markDelivered(true);
    state.message(`Callback ${result.status} delivered`);
  } catch (error) {
    state.message(`Callback ${result.status} not delivered within the retry budget: ${(error as Error).message}`);
  }
}
