// A stand-in for Keycloak on loopback: an OIDC discovery document, a JWKS and tokens signed with its key (a new key
// per start). The cluster signs one bearer token with the driver's user role with it, so its replicas run with
// authentication on as in production; the tests sign what each case needs (test/support/oidc-issuer.ts).
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLUSTER_AUDIENCE = 'environment-driver';

export interface LocalIssuer {
  issuer: string;
  /** A signed token; `issuer` overrides the `iss` claim, `expiresIn: null` leaves `exp` out (default 5 minutes). */
  sign(claims: JWTPayload, options?: { issuer?: string; subject?: string; expiresIn?: string | null }): Promise<string>;
  stop(): Promise<void>;
}

export async function startLocalIssuer(port = 0, kid = 'local'): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/jwks` }
        : req.url === '/jwks'
          ? { keys: [jwk] }
          : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body ? JSON.stringify(body) : '');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    async sign(claims, options = {}) {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(options.issuer ?? issuer)
        .setSubject(options.subject ?? 'pnc-user')
        .setIssuedAt();
      if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
      return jwt.sign(privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ClusterIssuer {
  issuer: string;
  /** Valid for 24 h: the role `pnc-app-environment-driver-user`, audience `environment-driver`. */
  token: string;
  stop(): Promise<void>;
}

export async function startClusterIssuer(port = 0): Promise<ClusterIssuer> {
  const local = await startLocalIssuer(port, 'cluster');
  const token = await local.sign(
    { roles: ['pnc-app-environment-driver-user'], aud: CLUSTER_AUDIENCE },
    { subject: 'pnc-cluster-user', expiresIn: '24h' },
  );
  return { issuer: local.issuer, token, stop: local.stop };
}
