// A small OIDC issuer for tests (the cluster's, tools/cluster/oidc-issuer.ts): discovery document and JWKS over
// HTTP, and tokens signed with its key. It stands in for Keycloak, which has no server here.
import type { JWTPayload } from 'jose';
import { startLocalIssuer } from '../../tools/cluster/oidc-issuer';

export async function startOidcIssuer() {
  const local = await startLocalIssuer(0, 'test-key');
  return {
    issuer: local.issuer,
    /** A signed token; `expiresIn: null` leaves `exp` out. */
    token: (claims: JWTPayload, options: { issuer?: string; expiresIn?: string | null } = {}): Promise<string> =>
      local.sign(claims, { subject: 'pnc-test', ...options }),
    stop: local.stop,
  };
}
