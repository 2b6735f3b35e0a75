// HTTP Basic checked against a real OpenLDAP slapd, beside OIDC bearer tokens: the same roles, the user's groups
// as roles, binds cached briefly, 503 and nothing created while LDAP is down.
import { randomBytes } from 'node:crypto';
import { startDriver, type TestDriver } from '../support/driver';
import { DIRECTORY, GROUPS, USER_DN_TEMPLATE, USERS } from '../support/ldap-directory';
import { startLdapServer, type LdapServer } from '../support/ldap-server';
import { call, createBody, eventually, INVOKER_HEADERS, remainingObjects } from '../support/invoker';
import { namespaceObjects, workflowIds } from '../support/observe';
import { startOidcIssuer } from '../support/oidc-issuer';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const as = (authorization: string) => ({ ...INVOKER_HEADERS, authorization });
const BOTH_CHALLENGES = 'Bearer, Basic realm="environment-driver"';

describe('HTTP Basic against LDAP', () => {
  let ldap: LdapServer;
  let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
  let driver: TestDriver;
  /** Environments created on purpose; any other workflow on the driver's queue came from a refused request. */
  const legitimate = new Set<string>();
  const ldapEnv = () => ({
    AUTH_ENABLED: 'true',
    AUTH_LDAP_URL: ldap.url,
    AUTH_LDAP_USER_DN_TEMPLATE: USER_DN_TEMPLATE,
    AUTH_LDAP_GROUP_BASE: GROUPS,
    AUTH_LDAP_CACHE_SECONDS: '600', // longer than this file runs: every reuse below is the cache's
    AUTH_LDAP_TIMEOUT_SECONDS: '2',
    PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
  });
  beforeAll(async () => {
    ldap = await startLdapServer(DIRECTORY);
    issuer = await startOidcIssuer();
    driver = await startDriver({ env: { ...ldapEnv(), OIDC_ISSUER: issuer.issuer } });
  });
  afterAll(async () => {
    await driver?.stop();
    await issuer?.stop();
    await ldap?.dispose();
  });

  const cancel = (authorization: string) =>
    call(driver.baseUrl, 'PUT', '/cancel/nobody-000000', undefined, as(authorization));

  it('lets a group member create an environment with the right password', async () => {
    const created = await call(
      driver.baseUrl,
      'POST',
      '/create',
      createBody(null),
      as(basic('alice', USERS.alice.password)),
    );
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    legitimate.add(environmentId);
    expect(await remainingObjects(driver.kube, environmentId)).toHaveLength(2); // pod and service
    expect(
      (
        await call(
          driver.baseUrl,
          'PUT',
          `/cancel/${environmentId}`,
          undefined,
          as(basic('alice', USERS.alice.password)),
        )
      ).status,
    ).toBe(200);
    await driver.client.workflow.getHandle(environmentId).result();
  });

  it('refuses a wrong password, an unknown user and malformed credentials with 401', async () => {
    for (const authorization of [
      basic('alice', 'wrong'),
      basic('nobody', 'whatever'),
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('alice').toString('base64')}`, // no colon
      `Basic ${'QUFB'.repeat(3000)}`, // 12 000 characters: bounded before decoding
      basic('alice\0', USERS.alice.password),
    ]) {
      const reply = await fetch(`${driver.baseUrl}/cancel/nobody-000000`, {
        method: 'PUT',
        headers: as(authorization),
      });
      expect([authorization.slice(0, 40), reply.status]).toEqual([authorization.slice(0, 40), 401]);
      expect(reply.headers.get('www-authenticate')).toBe(BOTH_CHALLENGES);
      expect(await reply.json()).toEqual({
        errorType: 'UnauthorizedException',
        errorMessage: expect.any(String),
        details: null,
      });
    }
  });

  it('refuses an empty password without asking LDAP (an unauthenticated bind would succeed)', async () => {
    const before = await ldap.binds(USERS.alice.dn);
    expect((await cancel(basic('alice', ''))).status).toBe(401);
    expect(await ldap.binds(USERS.alice.dn)).toBe(before);
  });

  it('answers 403 to a user in none of the role groups, 200 to a groupOfUniqueNames member', async () => {
    expect(await cancel(basic('bob', USERS.bob.password))).toMatchObject({
      status: 403,
      json: { errorType: 'ForbiddenException' },
    });
    expect((await cancel(basic('carol', USERS.carol.password))).status).toBe(200);
  });

  it('refuses DN and filter injection through the user name', async () => {
    // Unescaped, `svc,ou=robots` would bind as a robot in pnc-users-admin …
    expect((await cancel(basic('svc,ou=robots', USERS.robot.password))).status).toBe(401);
    // … and `x)(cn=*)(cn=x` would read every group as the user's.
    expect((await cancel(basic(USERS.mallory.user, USERS.mallory.password))).status).toBe(403);
    // A legitimate name full of special characters still works.
    expect((await cancel(basic(USERS.ada.user, USERS.ada.password))).status).toBe(200);
  });

  it('still accepts OIDC bearer tokens beside Basic', async () => {
    const token = await issuer.token({ realm_access: { roles: ['pnc-users-admin'] } });
    expect((await cancel(`Bearer ${token}`)).status).toBe(200);
    expect((await cancel('Bearer not-a-jwt')).status).toBe(401);
  });

  it('works without OIDC: Basic only, a bearer token is refused', async () => {
    const basicOnly = await startDriver({ worker: false, env: ldapEnv() });
    try {
      const reply = await call(
        basicOnly.baseUrl,
        'PUT',
        '/cancel/nobody-000000',
        undefined,
        as(basic('alice', USERS.alice.password)),
      );
      expect(reply.status).toBe(200);
      const token = await issuer.token({ realm_access: { roles: ['pnc-users-admin'] } });
      const bearer = await fetch(`${basicOnly.baseUrl}/cancel/nobody-000000`, {
        method: 'PUT',
        headers: as(`Bearer ${token}`),
      });
      expect(bearer.status).toBe(401);
      expect(bearer.headers.get('www-authenticate')).toBe('Basic realm="environment-driver"');
    } finally {
      await basicOnly.stop();
    }
  });

  // Last: it stops LDAP.
  it('reuses a bind within the cache window, never for a wrong password; LDAP down is 503 and creates nothing', async () => {
    const erin = basic('erin', USERS.erin.password);
    const before = await ldap.binds(USERS.erin.dn);
    expect((await cancel(erin)).status).toBe(200);
    expect(await ldap.binds(USERS.erin.dn)).toBe(before + 1);
    expect((await cancel(erin)).status).toBe(200);
    expect(await ldap.binds(USERS.erin.dn)).toBe(before + 1); // from the cache
    expect((await cancel(basic('erin', 'wrong'))).status).toBe(401);
    expect(await ldap.binds(USERS.erin.dn)).toBe(before + 2); // a wrong password is asked, not matched
    expect((await cancel(erin)).status).toBe(200); // the refusal dropped the entry: bound and cached again
    expect(await ldap.binds(USERS.erin.dn)).toBe(before + 3);

    await ldap.stop();
    expect((await cancel(erin)).status).toBe(200); // the cached bind, LDAP down
    expect((await cancel(basic('erin', 'wrong'))).status).toBe(503); // never the cache's 200

    const objects = await namespaceObjects(driver.kube);
    const refused = await call(
      driver.baseUrl,
      'POST',
      '/create',
      createBody(null),
      as(basic('dave', USERS.dave.password)),
    );
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({
      errorType: 'ServiceUnavailableException',
      errorMessage: expect.any(String),
      details: null,
    });
    expect(await namespaceObjects(driver.kube)).toEqual(objects);
    // A control created afterwards (erin is cached): once visibility lists it, it would list a refused one too.
    const control = await call(driver.baseUrl, 'POST', '/create', createBody(null), as(erin));
    expect(control.status).toBe(200);
    const { environmentId } = control.json;
    const listed = await eventually('the control environment listed', async () => {
      const ids = await workflowIds(driver);
      return ids.includes(environmentId) && ids;
    });
    expect(listed.filter((id) => id !== environmentId && !legitimate.has(id))).toEqual([]);
    await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`, undefined, as(erin));
    await driver.client.workflow.getHandle(environmentId).result();
  });
});
