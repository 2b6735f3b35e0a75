// The two HTTP calls of OAuth2 client credentials: discovery of the token endpoint and the token request itself.
// These are the identity's own calls (not outbound service calls), so they use fetch directly, without a bearer.
import { decodeJwt } from 'jose';

export interface IssuedToken {
  accessToken: string;
  /** Milliseconds the token is valid from the request, or null when neither `expires_in` nor a JWT `exp` says. */
  lifetimeMs: number | null;
}

/** A message that names the URL and status, never a credential (it ends up in activity failures and logs). */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

const OAUTH_ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** `token_endpoint` from the issuer's discovery document. */
export async function discoverTokenEndpoint(issuer: string, timeoutMs: number): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await send(url, { method: 'GET', headers: { accept: 'application/json' } }, timeoutMs);
  if (!response.ok) {
    await response.body?.cancel();
    throw new TokenRequestError(`OIDC discovery ${url} answered HTTP ${response.status}`);
  }
  const document = (await response.json().catch(() => null)) as { token_endpoint?: unknown } | null;
  const endpoint = document?.token_endpoint;
  if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
    throw new TokenRequestError(`OIDC discovery ${url} names no token_endpoint`);
  }
  return endpoint;
}

/** The client-credentials grant with `client_secret_basic` (RFC 6749 §2.3.1: both parts form-encoded). */
export async function requestClientToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  timeoutMs: number,
  now: () => number,
): Promise<IssuedToken> {
  const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
  const requestedAt = now();
  const response = await send(
    tokenUrl,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    },
    timeoutMs,
  );
  const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    const code = typeof answer?.error === 'string' && OAUTH_ERROR_CODE.test(answer.error) ? ` (${answer.error})` : '';
    throw new TokenRequestError(`Service token request to ${tokenUrl} answered HTTP ${response.status}${code}`);
  }
  const accessToken = answer?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenRequestError(`Service token request to ${tokenUrl} answered without an access_token`);
  }
  return { accessToken, lifetimeMs: lifetime(answer!.expires_in, accessToken, requestedAt) };
}

function lifetime(expiresIn: unknown, accessToken: string, requestedAt: number): number | null {
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  try {
    const { exp } = decodeJwt(accessToken);
    if (typeof exp === 'number') return Math.max(0, exp * 1000 - requestedAt);
  } catch {
    // an opaque token: its lifetime is unknown
  }
  return null;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** Bounded, and never follows a redirect: the client secret goes to the configured endpoint only. */
async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = (error as { name?: string }).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'failed';
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new TokenRequestError(`${init.method} ${url} ${reason}${cause ? ` (${cause})` : ''}`);
  }
}
