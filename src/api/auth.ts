// Authentication with roles (contract §0): OIDC bearer tokens and/or HTTP Basic checked against LDAP, on by
// default outside local mode. /version, health and metrics stay open. Token roles are read where Keycloak and most
// issuers put them; LDAP roles are group names (ldap-basic.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { DriverConfig } from '../config';
import { parseBasicCredentials } from './basic-credentials';
import { HttpError } from './errors';
import { LdapBasicAuthenticator, LdapRefused } from './ldap-basic';

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

/** Credentials that do not authenticate anybody: a 401. */
class Refused extends Error {}

/** Checks a bearer token: its roles. */
async function bearerRoles(
  request: FastifyRequest,
  token: string,
  auth: DriverConfig['auth'],
  jwks: () => Promise<Jwks>,
) {
  try {
    const { payload } = await jwtVerify(token, await jwks(), {
      // A token without `exp` would be valid forever once leaked: refuse it (jose checks exp only when present).
      requiredClaims: ['exp'],
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      ...(auth.audience ? { audience: auth.audience } : {}),
    });
    return tokenRoles(payload);
  } catch (error) {
    request.log.info({ reason: (error as Error).message }, 'bearer token refused');
    throw new Refused('The bearer token is not valid');
  }
}

/** Checks Basic credentials against LDAP: the user's groups, or 503 when LDAP cannot be asked. */
async function basicRoles(request: FastifyRequest, encoded: string, ldap: LdapBasicAuthenticator) {
  const credentials = parseBasicCredentials(encoded);
  if ('refused' in credentials) {
    request.log.info({ reason: credentials.refused }, 'basic credentials refused');
    throw new Refused('The user name or password is not valid');
  }
  try {
    return await ldap.roles(credentials.user, credentials.password);
  } catch (error) {
    if (error instanceof LdapRefused) {
      request.log.info({ user: credentials.user, reason: error.message }, 'basic credentials refused');
      throw new Refused('The user name or password is not valid');
    }
    request.log.warn({ user: credentials.user, reason: (error as Error).message }, 'LDAP unavailable');
    throw new HttpError(503, 'ServiceUnavailableException', 'The LDAP server cannot check credentials right now');
  }
}

/** Bearer tokens go to OIDC (when an issuer is configured), Basic credentials to LDAP (when configured). */
export function registerAuth(app: FastifyInstance, auth: DriverConfig['auth']): void {
  if (!auth.enabled) return;
  const oidc = auth.issuer !== null || auth.jwksUrl !== null;
  const jwks = jwksResolver(auth);
  const ldap = auth.ldap ? new LdapBasicAuthenticator(auth.ldap) : null;
  // The challenge of every scheme accepted, on every 401.
  const challenge = [oidc ? 'Bearer' : null, ldap ? 'Basic realm="environment-driver"' : null].filter(Boolean);
  const required = [oidc ? 'a bearer token' : null, ldap ? 'Basic credentials' : null].filter(Boolean);
  const unauthorized = (message: string) =>
    new HttpError(401, 'UnauthorizedException', message, null, { 'WWW-Authenticate': challenge.join(', ') });

  const roles = async (request: FastifyRequest): Promise<string[]> => {
    const [scheme, credentials] = splitAuthorization(request.headers.authorization);
    try {
      if (oidc && scheme === 'bearer') return await bearerRoles(request, credentials, auth, jwks);
      if (ldap && scheme === 'basic') return await basicRoles(request, credentials, ldap);
    } catch (error) {
      throw error instanceof Refused ? unauthorized(error.message) : error;
    }
    throw unauthorized(`${required.join(' or ')} is required`.replace(/^./, (first) => first.toUpperCase()));
  };

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    if (OPEN.some((open) => open.test(path))) return;
    const granted = await roles(request);
    if (!auth.roles.some((role) => granted.includes(role))) {
      throw new HttpError(403, 'ForbiddenException', `One of the roles ${auth.roles.join(', ')} is required`);
    }
  });
}

/** `Bearer abc` → ['bearer', 'abc']; the scheme is case-insensitive (RFC 9110 §11.1). */
function splitAuthorization(header: string | undefined): [string | null, string] {
  const match = header ? /^([A-Za-z]+) +(\S+) *$/.exec(header) : null;
  return match ? [match[1].toLowerCase(), match[2]] : [null, ''];
}
