// A small honest Artifactory token API (contract §3.9): checks the admin bearer and the mint body, mints unique
// tokens, revokes each one once (a second revoke of the same token, or an unknown one, answers 404 as Artifactory
// does), and records everything so tests can count revokes per minted token.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ARTIFACTORY_ADMIN_TOKEN = 'artifactory-admin-token';
export const ARTIFACTORY_SCOPE = 'applied-permissions/roles:pnc:Builder';

export interface Minted {
  tokenId: string;
  /** What the driver must hand to the agent (use-reference-token defaults to true). */
  referenceToken: string;
  accessToken: string;
  body: Record<string, unknown>;
}

export interface RevokeRequest {
  token: string;
  /** The status answered: 200 revoked now, 404 already revoked or unknown, else a configured failure. */
  status: number;
}

export interface FakeArtifactoryOptions {
  /** Status of mint requests (200 by default). */
  mintStatus?: () => number;
  /** Status of a revoke of a live token (200 by default); a failure leaves the token live. */
  revokeStatus?: () => number;
  /** Runs once a live token is revoked, before the answer (e.g. kill the worker that asked). */
  afterRevoke?: (token: string) => Promise<void>;
}

export async function startFakeArtifactory(options: FakeArtifactoryOptions = {}) {
  const minted: Minted[] = [];
  const revokes: RevokeRequest[] = [];
  const revoked = new Set<string>();
  /** Requests refused for a wrong bearer, wrong path or malformed body: a test expects none. */
  const refused: string[] = [];
  /** Every request's trace context, in arrival order (the tracing test follows the trace into Artifactory). */
  const traced: { request: string; traceparent: string | undefined }[] = [];
  const server = createServer((req, res) => {
    traced.push({
      request: `${req.method} ${req.url}`,
      traceparent: String(req.headers.traceparent ?? '') || undefined,
    });
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown = {}) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      void (async () => {
        if (req.headers.authorization !== `Bearer ${ARTIFACTORY_ADMIN_TOKEN}`) {
          refused.push(`${req.method} ${req.url}: authorization ${req.headers.authorization}`);
          return answer(401);
        }
        const body = JSON.parse(text || '{}') as Record<string, unknown>;
        if (req.method === 'POST' && req.url === '/access/api/v1/tokens') {
          if (
            body.force_revocable !== true ||
            typeof body.expires_in !== 'number' ||
            body.scope !== ARTIFACTORY_SCOPE
          ) {
            refused.push(`mint body ${text}`);
            return answer(400);
          }
          const status = options.mintStatus?.() ?? 200;
          if (status !== 200) return answer(status, { errors: [{ message: 'refused by the test' }] });
          const n = `${minted.length + 1}-${randomBytes(4).toString('hex')}`;
          const token = { tokenId: `id-${n}`, referenceToken: `ref-${n}`, accessToken: `access-${n}`, body };
          minted.push(token);
          return answer(200, {
            token_id: token.tokenId,
            access_token: token.accessToken,
            refresh_token: `refresh-${n}`,
            reference_token: token.referenceToken,
            expires_in: body.expires_in,
            scope: body.scope,
            token_type: 'Bearer',
          });
        }
        if (req.method === 'DELETE' && req.url === '/access/api/v1/tokens/revoke' && typeof body.token === 'string') {
          const token = body.token;
          const known = minted.some((m) => m.referenceToken === token || m.accessToken === token);
          if (!known || revoked.has(token)) {
            revokes.push({ token, status: 404 });
            return answer(404);
          }
          const status = options.revokeStatus?.() ?? 200;
          revokes.push({ token, status });
          if (status !== 200) return answer(status);
          revoked.add(token);
          await options.afterRevoke?.(token);
          return answer(200);
        }
        refused.push(`${req.method} ${req.url} ${text}`);
        return answer(404);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    minted,
    revokes,
    refused,
    traced,
    isRevoked: (token: string) => revoked.has(token),
    /** Revoke requests per minted reference token, in mint order. */
    revokeCounts: () => minted.map((m) => revokes.filter((r) => r.token === m.referenceToken).length),
    /** The driver's settings for this fake, as environment variables. */
    env: {
      ENVIRONMENT_DRIVER_ARTIFACTORY_ENABLED: 'true',
      ENVIRONMENT_DRIVER_ARTIFACTORY_URL: url,
      ENVIRONMENT_DRIVER_ARTIFACTORY_ACCESS_TOKEN: ARTIFACTORY_ADMIN_TOKEN,
      ENVIRONMENT_DRIVER_ARTIFACTORY_FIXED_SCOPE_SCOPE: ARTIFACTORY_SCOPE,
    } as Record<string, string>,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeArtifactory = Awaited<ReturnType<typeof startFakeArtifactory>>;
