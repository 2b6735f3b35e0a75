// sendCallback: one delivery attempt per activity attempt; Temporal's retry policy supplies the Java driver's
// backoff (0.5 → 5 s for up to callback-retry-duration), so a worker restart never loses a callback.
// Delivery is at least once (a worker can die after the invoker said 2xx and before Temporal heard of it), so
// every attempt carries the same Idempotency-Key: the invoker applies a result once.
import { log } from '@temporalio/activity';
import type {
  EnvironmentCreateResult,
  EnvironmentNames,
  FinalLogSource,
  HttpRequestSpec,
  ResultStatus,
} from '../workflows/types';
import type { ActivityDeps } from './deps';
import { uploadFinalLogOnce } from './final-log';
import { readObject } from './objects';
import { classifyKubeError } from './k8s/errors';

/** Headers fetch refuses or that would corrupt the request; the Java client threw on them. */
const RESTRICTED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'expect',
  'upgrade',
  'keep-alive',
  'transfer-encoding',
]);

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * Derived, never random: the same on every retry, on another worker after a crash, and after a workflow reset.
 * An environment sends one result, so this is one key per environment. No secret goes into it.
 */
export function idempotencyKey(environmentId: string, status: ResultStatus): string {
  return `${environmentId}:${status}`;
}

export interface CallbackInput {
  names: EnvironmentNames;
  request: HttpRequestSpec;
  result: EnvironmentCreateResult;
  /** Read the ssh password from the environment's Secret, so it never sits in workflow history. */
  includeSshPassword: boolean;
  requestTimeoutMs: number;
  /** The user log's source, uploaded to Bifrost before the callback; absent in inputs of older workflow code. */
  finalLog?: FinalLogSource;
}

export function createCallbackActivities(deps: ActivityDeps) {
  async function sshPassword(names: EnvironmentNames): Promise<string> {
    try {
      const secret = await readObject(deps.kube, 'Secret', names.secretName);
      const encoded: string | undefined = secret.data?.workerUserPassword;
      return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    } catch (error) {
      if (classifyKubeError(error).kind === 'NotFound') return '';
      throw error;
    }
  }

  return {
    async sendCallback(input: CallbackInput): Promise<void> {
      const { request, names } = input;
      // As the Java driver: the final log first (bounded in time, never failing the callback), then the callback.
      await uploadFinalLogOnce(deps, input, input.finalLog);
      const result = { ...input.result };
      if (input.includeSshPassword && result.status === 'SUCCESS') result.sshPassword = await sshPassword(names);
      const headers = new Headers();
      for (const { name, value } of request.headers ?? []) {
        if (RESTRICTED_HEADERS.has(name.toLowerCase())) {
          log.warn('dropping a restricted callback header', { environmentId: names.environmentId, header: name });
          continue;
        }
        headers.append(name, value);
      }
      // An invoker that chose its own key keeps it: it is part of the stored request, hence just as stable.
      if (!headers.has(IDEMPOTENCY_KEY_HEADER))
        headers.set(IDEMPOTENCY_KEY_HEADER, idempotencyKey(names.environmentId, result.status));
      const response = await deps.outbound(request.uri, {
        method: request.method,
        headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : JSON.stringify(result),
        timeoutMs: input.requestTimeoutMs,
        serviceAuth: true,
      });
      await response.body?.cancel();
      const delivered = response.status >= 200 && response.status < 300;
      deps.metrics.callbackAttempt(result.status, delivered);
      if (!delivered) {
        throw new Error(`Response status code: ${response.status}`); // retried by the activity retry policy
      }
      log.info('callback delivered', { environmentId: names.environmentId, status: result.status });
    },
  };
}
