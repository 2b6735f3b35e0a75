// Authentication outside local mode: OIDC bearer tokens with the driver's roles; /version and health stay open.
import { authenticatedDriver } from '../support/authenticated-driver';
import { call, INVOKER_HEADERS } from '../support/invoker';

const UI_ORIGIN = 'http://temporal-ui.example.com:8233';

describe('OIDC bearer authentication', () => {
  const { driver, issuer } = authenticatedDriver({
    OIDC_AUDIENCE: 'environment-driver',
    CORS_ORIGINS: `${UI_ORIGIN}, https://other-ui.example.com`,
  });

  const withToken = (token: string) => ({ ...INVOKER_HEADERS, authorization: `Bearer ${token}` });
  const cancel = (headers: Record<string, string>) =>
    call(driver().baseUrl, 'PUT', '/cancel/nobody-000000', undefined, headers);

  it('refuses a request without a token with 401', async () => {
    const reply = await fetch(`${driver().baseUrl}/cancel/nobody-000000`, { method: 'PUT' });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a token from another issuer, for another audience, or expired with 401', async () => {
    const role = { realm_access: { roles: ['pnc-users-admin'] } };
    expect(
      (
        await cancel(
          withToken(await issuer().token({ ...role, aud: 'environment-driver' }, { issuer: 'http://elsewhere' })),
        )
      ).status,
    ).toBe(401);
    expect((await cancel(withToken(await issuer().token({ ...role, aud: 'other' })))).status).toBe(401);
    expect(
      (await cancel(withToken(await issuer().token({ ...role, aud: 'environment-driver' }, { expiresIn: '-1m' }))))
        .status,
    ).toBe(401);
    expect((await cancel(withToken('not-a-jwt'))).status).toBe(401);
  });

  it('refuses a token without exp with 401: it would never expire', async () => {
    const role = { realm_access: { roles: ['pnc-users-admin'] } };
    const forever = await issuer().token({ ...role, aud: 'environment-driver' }, { expiresIn: null });
    expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
    expect(await cancel(withToken(forever))).toMatchObject({
      status: 401,
      json: { errorType: 'UnauthorizedException' },
    });
    // The same token with exp is accepted: exp is what made the difference.
    const expiring = await issuer().token({ ...role, aud: 'environment-driver' });
    expect((await cancel(withToken(expiring))).status).toBe(200);
  });

  it('refuses a valid token without one of the roles with 403', async () => {
    const token = await issuer().token({ aud: 'environment-driver', realm_access: { roles: ['somebody-else'] } });
    expect(await cancel(withToken(token))).toMatchObject({ status: 403, json: { errorType: 'ForbiddenException' } });
  });

  it('accepts realm roles and client roles', async () => {
    const realm = await issuer().token({
      aud: 'environment-driver',
      realm_access: { roles: ['pnc-app-environment-driver-user'] },
    });
    const client = await issuer().token({
      aud: 'environment-driver',
      resource_access: { pnc: { roles: ['pnc-users-admin'] } },
    });
    expect(await cancel(withToken(realm))).toMatchObject({ status: 200, json: { debugHost: null, debugPort: -1 } });
    expect((await cancel(withToken(client))).status).toBe(200);
  });

  it('keeps /version and health open', async () => {
    expect((await fetch(`${driver().baseUrl}/version`)).status).toBe(200);
    expect((await fetch(`${driver().baseUrl}/q/health/live`)).status).toBe(200);
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      fetch(`${driver().baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, x-namespace',
        },
      });

    it('answers a preflight from an allowed origin (the Web UI calling /codec), without a token', async () => {
      const reply = await preflight(UI_ORIGIN);
      expect(reply.status).toBe(204);
      expect(reply.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect(reply.headers.get('access-control-allow-credentials')).toBe('true');
      expect(reply.headers.get('access-control-allow-methods')).toContain('POST');
      expect(reply.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-namespace');
      expect(reply.headers.get('vary')).toContain('Origin');
    });

    it('reflects an allowed origin on the real request', async () => {
      const token = await issuer().token({ aud: 'environment-driver', realm_access: { roles: ['pnc-users-admin'] } });
      const reply = await fetch(`${driver().baseUrl}/codec/decode`, {
        method: 'POST',
        headers: { origin: UI_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ payloads: [] }),
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    });

    it('gives any other origin no Access-Control-Allow-Origin, on preflights and requests alike', async () => {
      for (const origin of ['https://evil.example.com', 'http://temporal-ui.example.com', 'null']) {
        const reply = await preflight(origin);
        expect(reply.headers.get('access-control-allow-origin')).toBeNull();
        expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
        expect(reply.headers.get('access-control-allow-headers')).toBeNull();
        const version = await fetch(`${driver().baseUrl}/version`, { headers: { origin } });
        expect(version.status).toBe(200);
        expect(version.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });
});
