// The build agent's repository token (contract §3.9): fetched from Indy per build content id, unless disabled.
// It goes straight into the environment's Secret; it is never an activity result, so never in history.
import { ApplicationFailure } from '@temporalio/common';
import { TOKEN_FETCH_FAILED } from '../workflows/definitions';
import type { OutboundHttp } from './outbound-http';

export interface IndyTokenSource {
  /** Base URL of Indy (the Java driver's `quarkus.rest-client.indy-service.url`). */
  url: string;
  requestTimeoutMs: number;
}

/** Called with the driver's service identity (contract §0). */
export async function fetchIndyToken(
  outbound: OutboundHttp,
  source: IndyTokenSource,
  buildContentId: string | null,
): Promise<string> {
  const url = `${source.url.replace(/\/+$/, '')}/api/security/auth/token`;
  const response = await outbound(url, {
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ 'build-id': buildContentId }),
    timeoutMs: source.requestTimeoutMs,
    serviceAuth: true,
  });
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    throw ApplicationFailure.nonRetryable(
      `Cannot get token from Indy: ${url} answered ${response.status}`,
      TOKEN_FETCH_FAILED,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`Indy ${url} answered ${response.status}`); // retried by the create activity's retry policy
  }
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== 'string')
    throw ApplicationFailure.nonRetryable(
      `Cannot get token from Indy: no token in the answer of ${url}`,
      TOKEN_FETCH_FAILED,
    );
  return token;
}
