// OIDC bearer authentication with roles (contract §0): on by default outside local mode. /version, health and
// metrics stay open. Roles are read where Keycloak and most issuers put them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { DriverConfig } from '../config';
import { HttpError } from './errors';

const OPEN = [/^\/version$/, /^\/q\/health/, /^\/metrics$/, /^\/docs/, /^\/openapi\.json$/];

type Jwks = ReturnType<typeof createRemoteJWKSet>;

/** The JWKS of the issuer: OIDC_JWKS_URL, or discovered once from the issuer's metadata. */
function jwksResolver(auth: DriverConfig['auth']): () => Promise<Jwks> {
  let jwks: Promise<Jwks> | null = null;
  return () => {
    jwks ??= (async () => {
      if (auth.jwksUrl) return createRemoteJWKSet(new URL(auth.jwksUrl));
      const metadataUrl = `${auth.issuer!.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(metadataUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`OIDC discovery ${metadataUrl}: ${response.status}`);
      const { jwks_uri: uri } = (await response.json()) as { jwks_uri?: string };
      if (!uri) throw new Error(`OIDC discovery ${metadataUrl}: no jwks_uri`);
      return createRemoteJWKSet(new URL(uri));
    })().catch((error) => {
      jwks = null; // try discovery again on the next request
      throw error;
    });
    return jwks;
  };
}

export function tokenRoles(payload: JWTPayload): string[] {
  const claims = payload as JWTPayload & {
    realm_access?: { roles?: string[] };
    resource_access?: Record<string, { roles?: string[] }>;
    roles?: string[];
    groups?: string[];
  };
  return [
    ...(claims.realm_access?.roles ?? []),
    ...Object.values(claims.resource_access ?? {}).flatMap((client) => client.roles ?? []),
    ...(Array.isArray(claims.roles) ? claims.roles : []),
    ...(Array.isArray(claims.groups) ? claims.groups : []),
  ];
}

export function registerAuth(app: FastifyInstance, auth: DriverConfig['auth']): void {
  if (!auth.enabled) return;
  const jwks = jwksResolver(auth);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    if (OPEN.some((open) => open.test(path))) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new HttpError(401, 'UnauthorizedException', 'A bearer token is required');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await jwks(), {
        // A token without `exp` would be valid forever once leaked: refuse it (jose checks exp only when present).
        requiredClaims: ['exp'],
        ...(auth.issuer ? { issuer: auth.issuer } : {}),
        ...(auth.audience ? { audience: auth.audience } : {}),
      }));
    } catch (error) {
      request.log.info({ reason: (error as Error).message }, 'bearer token refused');
      throw new HttpError(401, 'UnauthorizedException', 'The bearer token is not valid');
    }
    const roles = tokenRoles(payload);
    if (!auth.roles.some((role) => roles.includes(role))) {
      throw new HttpError(403, 'ForbiddenException', `One of the roles ${auth.roles.join(', ')} is required`);
    }
  });
}
