// Authentication outside local mode: OIDC bearer tokens with the driver's roles; /version and health stay open.
import { startDriver, type TestDriver } from '../support/driver';
import { call, INVOKER_HEADERS } from '../support/invoker';
import { startOidcIssuer } from '../support/oidc-issuer';

describe('OIDC bearer authentication', () => {
  let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
  let driver: TestDriver;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    driver = await startDriver({
      env: { AUTH_ENABLED: 'true', OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: 'environment-driver' },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await issuer?.stop();
  });

  const withToken = (token: string) => ({ ...INVOKER_HEADERS, authorization: `Bearer ${token}` });
  const cancel = (headers: Record<string, string>) =>
    call(driver.baseUrl, 'PUT', '/cancel/nobody-000000', undefined, headers);

  it('refuses a request without a token with 401', async () => {
    const reply = await fetch(`${driver.baseUrl}/cancel/nobody-000000`, { method: 'PUT' });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a token from another issuer, for another audience, or expired with 401', async () => {
    const role = { realm_access: { roles: ['pnc-users-admin'] } };
    expect(
      (
        await cancel(
          withToken(await issuer.token({ ...role, aud: 'environment-driver' }, { issuer: 'http://elsewhere' })),
        )
      ).status,
    ).toBe(401);
    expect((await cancel(withToken(await issuer.token({ ...role, aud: 'other' })))).status).toBe(401);
    expect(
      (await cancel(withToken(await issuer.token({ ...role, aud: 'environment-driver' }, { expiresIn: '-1m' }))))
        .status,
    ).toBe(401);
    expect((await cancel(withToken('not-a-jwt'))).status).toBe(401);
  });

  it('refuses a valid token without one of the roles with 403', async () => {
    const token = await issuer.token({ aud: 'environment-driver', realm_access: { roles: ['somebody-else'] } });
    expect(await cancel(withToken(token))).toMatchObject({ status: 403, json: { errorType: 'ForbiddenException' } });
  });

  it('accepts realm roles and client roles', async () => {
    const realm = await issuer.token({
      aud: 'environment-driver',
      realm_access: { roles: ['pnc-app-environment-driver-user'] },
    });
    const client = await issuer.token({
      aud: 'environment-driver',
      resource_access: { pnc: { roles: ['pnc-users-admin'] } },
    });
    expect(await cancel(withToken(realm))).toMatchObject({ status: 200, json: { debugHost: null, debugPort: -1 } });
    expect((await cancel(withToken(client))).status).toBe(200);
  });

  it('keeps /version and health open', async () => {
    expect((await fetch(`${driver.baseUrl}/version`)).status).toBe(200);
    expect((await fetch(`${driver.baseUrl}/q/health/live`)).status).toBe(200);
  });
});
