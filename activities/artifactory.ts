// Artifactory's token API (contract §3.9): one scoped, revocable token minted per environment, revoked when the
// environment goes. Both calls carry the Artifactory admin token, as in Java (not the driver's service identity:
// Artifactory only lets an admin token revoke). The token never leaves the activity except into the Secret.
import { ApplicationFailure } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { TOKEN_FETCH_FAILED } from '../workflows/definitions';
import type { OutboundHttp } from './outbound-http';

export interface ArtifactoryTokenSource {
  url: string;
  /** Secret: never log it. */
  accessToken: string;
  scope: string;
  expirySeconds: number;
  useReferenceToken: boolean;
  requestTimeoutMs: number;
}

export interface MintedToken {
  /** Secret: what the build agent gets (the reference token, or the access token). */
  token: string;
  /** Not secret: Artifactory's id of the token, kept on the Secret for operators. */
  tokenId: string | null;
}

/** Java's message, whatever went wrong (DriverException "Cannot get token from Artifactory."). */
export const MINT_FAILED_MESSAGE = 'Cannot get token from Artifactory.';

const endpoint = (source: ArtifactoryTokenSource, path: string) =>
  `${source.url.replace(/\/+$/, '')}/access/api/v1/tokens${path}`;

function headers(source: ArtifactoryTokenSource): Headers {
  return new Headers({ 'content-type': 'application/json', authorization: `Bearer ${source.accessToken}` });
}

/** Mints the environment's token; any failure is a non-retryable TOKEN_FETCH_FAILED (500), as Java answered. */
export async function mintArtifactoryToken(
  outbound: OutboundHttp,
  source: ArtifactoryTokenSource,
  buildContentId: string | null,
): Promise<MintedToken> {
  let cause: string;
  try {
    const response = await outbound(endpoint(source, ''), {
      method: 'POST',
      headers: headers(source),
      body: JSON.stringify({
        username: buildContentId,
        scope: source.scope,
        expires_in: source.expirySeconds,
        force_revocable: true,
        include_reference_token: source.useReferenceToken,
      }),
      timeoutMs: source.requestTimeoutMs,
      serviceAuth: false,
    });
    if (response.ok) {
      const body = (await response.json()) as Record<string, unknown>;
      const token = source.useReferenceToken ? body.reference_token : body.access_token;
      if (typeof token === 'string' && token !== '') {
        return { token, tokenId: typeof body.token_id === 'string' ? body.token_id : null };
      }
      cause = `no ${source.useReferenceToken ? 'reference_token' : 'access_token'} in the answer`;
    } else {
      await response.body?.cancel();
      cause = `answered ${response.status}`;
    }
  } catch (error) {
    // A JSON parse error may quote the body, and the body holds tokens: name the error only.
    cause = error instanceof SyntaxError ? 'an answer that is not JSON' : (error as Error).message;
  }
  log.warn('Artifactory token mint failed', { cause });
  throw ApplicationFailure.nonRetryable(MINT_FAILED_MESSAGE, TOKEN_FETCH_FAILED);
}

/** Revokes a token; 'unknown' when Artifactory answers 404 (already revoked, or never known): done either way. */
export async function revokeArtifactoryToken(
  outbound: OutboundHttp,
  source: ArtifactoryTokenSource,
  token: string,
): Promise<'revoked' | 'unknown'> {
  const response = await outbound(endpoint(source, '/revoke'), {
    method: 'DELETE',
    headers: headers(source),
    body: JSON.stringify({ token }),
    timeoutMs: source.requestTimeoutMs,
    serviceAuth: false,
  });
  await response.body?.cancel();
  if (response.ok) return 'revoked';
  if (response.status === 404) return 'unknown';
  throw new Error(`Artifactory token revoke answered ${response.status}`);
}
