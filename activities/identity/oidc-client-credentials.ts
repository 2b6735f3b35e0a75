// The driver's service account as an OAuth2 client (the Java driver's Quarkus oidc-client): one token per worker,
// shared by all its activities, renewed shortly before it expires or when a service refuses it.
import type { ServiceIdentity } from '../outbound-http';
import { discoverTokenEndpoint, requestClientToken } from './token-request';

export interface OidcClientCredentialsOptions {
  /** The token endpoint; when null it is discovered from `issuer` (once, retried until it succeeds). */
  tokenUrl: string | null;
  issuer: string | null;
  clientId: string;
  /** Asked for every new token, so a rotated secret (a re-mounted Kubernetes Secret file) is picked up. */
  clientSecret: () => string;
  /** Bound of each discovery and token request. */
  requestTimeoutMs: number;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
}

interface CachedToken {
  authorization: string;
  /** When to stop handing it out; Infinity when its lifetime is unknown (then only a 401 renews it). */
  renewAt: number;
}

/** How long before expiry a token is renewed: 10% of its lifetime, at most a minute (clock skew, slow calls). */
export function renewalMargin(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

/** Runs `task` once for any number of concurrent callers; a failure is not kept, the next call tries again. */
function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    running ??= task().finally(() => {
      running = null;
    });
    return running;
  };
}

export function oidcClientCredentials(options: OidcClientCredentialsOptions): ServiceIdentity {
  const now = options.now ?? Date.now;
  let tokenUrl = options.tokenUrl;
  let current: CachedToken | null = null;

  const discover = singleFlight(async () => {
    if (tokenUrl === null) tokenUrl = await discoverTokenEndpoint(options.issuer!, options.requestTimeoutMs);
    return tokenUrl;
  });

  const renew = singleFlight(async () => {
    const url = tokenUrl ?? (await discover());
    const requestedAt = now();
    const issued = await requestClientToken(
      url,
      options.clientId,
      options.clientSecret(),
      options.requestTimeoutMs,
      now,
    );
    const renewAt =
      issued.lifetimeMs === null ? Infinity : requestedAt + issued.lifetimeMs - renewalMargin(issued.lifetimeMs);
    current = { authorization: `Bearer ${issued.accessToken}`, renewAt };
    return current;
  });

  return {
    async authorization() {
      if (current !== null && now() < current.renewAt) return current.authorization;
      return (await renew()).authorization;
    },
    refused(value) {
      // Only the token that was refused is dropped: another caller may already hold a newer one.
      if (current?.authorization === value) current = null;
      return true;
    },
  };
}
