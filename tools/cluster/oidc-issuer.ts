// The cluster's stand-in for Keycloak: an OIDC discovery document and JWKS on loopback, and one bearer token
// with the driver's user role, so the replicas run with authentication on as in production. A new key per start.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLUSTER_AUDIENCE = 'environment-driver';

export interface ClusterIssuer {
  issuer: string;
  /** Valid for 24 h: the role `pnc-app-environment-driver-user`, audience `environment-driver`. */
  token: string;
  stop(): Promise<void>;
}

export async function startClusterIssuer(port = 0): Promise<ClusterIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'cluster', alg: 'RS256', use: 'sig' };
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
  const token = await new SignJWT({ roles: ['pnc-app-environment-driver-user'], aud: CLUSTER_AUDIENCE })
    .setProtectedHeader({ alg: 'RS256', kid: 'cluster' })
    .setIssuer(issuer)
    .setSubject('pnc-cluster-user')
    .setIssuedAt()
    .setExpirationTime('24h')
    .sign(privateKey);
  return {
    issuer,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
