// The LDAP authenticator against a real slapd: roles from groups, refusals, crafted user names, the bind cache
// (counted in slapd's own log) and an unreachable or silent server.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { LdapConfig } from '../../src/config/ldap';
import { LdapBasicAuthenticator, LdapRefused, LdapUnavailable } from '../../src/api/ldap-basic';
import { DIRECTORY, GROUPS, USER_DN_TEMPLATE, USERS } from '../support/ldap-directory';
import { startLdapServer, type LdapServer } from '../support/ldap-server';

describe('LDAP Basic authenticator on a real slapd', () => {
  let ldap: LdapServer;
  beforeAll(async () => {
    ldap = await startLdapServer(DIRECTORY);
  });
  afterAll(() => ldap?.dispose());

  let clock = 0;
  const authenticator = (overrides: Partial<LdapConfig> = {}) =>
    new LdapBasicAuthenticator(
      {
        url: ldap.url,
        userDnTemplate: USER_DN_TEMPLATE,
        groupBase: GROUPS,
        cacheMs: 60_000,
        timeoutMs: 2000,
        ...overrides,
      },
      () => clock,
    );

  it('reads the roles from groupOfNames member and groupOfUniqueNames uniqueMember', async () => {
    const auth = authenticator();
    expect(await auth.roles(USERS.alice.user, USERS.alice.password)).toEqual(['pnc-app-environment-driver-user']);
    expect((await auth.roles(USERS.carol.user, USERS.carol.password)).sort()).toEqual([
      'developers',
      'pnc-users-admin',
    ]);
    expect(await auth.roles(USERS.bob.user, USERS.bob.password)).toEqual([]);
  });

  it('refuses a wrong password and an unknown user', async () => {
    const auth = authenticator();
    await expect(auth.roles(USERS.alice.user, 'wrong')).rejects.toBeInstanceOf(LdapRefused);
    await expect(auth.roles('nobody', 'whatever')).rejects.toBeInstanceOf(LdapRefused);
  });

  it('escapes every DN special character of a user name', async () => {
    expect(await authenticator().roles(USERS.ada.user, USERS.ada.password)).toEqual([
      'pnc-app-environment-driver-user',
    ]);
  });

  it('refuses a user name that would bind as another entry (DN injection)', async () => {
    // `svc,ou=robots` unescaped would make uid=svc,ou=robots,ou=people,… — a robot in pnc-users-admin.
    await expect(authenticator().roles('svc,ou=robots', USERS.robot.password)).rejects.toBeInstanceOf(LdapRefused);
    await expect(authenticator().roles('*', USERS.alice.password)).rejects.toBeInstanceOf(LdapRefused);
  });

  it('gives a user name that would widen the group filter no group (filter injection)', async () => {
    // `x)(cn=*)(cn=x` unescaped in the filter would list every group.
    expect(await authenticator().roles(USERS.mallory.user, USERS.mallory.password)).toEqual([]);
  });

  it('reuses a bind for the same password until it expires, never for another password', async () => {
    const auth = authenticator({ cacheMs: 60_000 });
    const binds = () => ldap.binds(USERS.dave.dn);
    const before = await binds();
    expect(await auth.roles(USERS.dave.user, USERS.dave.password)).toEqual(['pnc-app-environment-driver-user']);
    expect(await binds()).toBe(before + 1);
    clock += 59_000;
    expect(await auth.roles(USERS.dave.user, USERS.dave.password)).toEqual(['pnc-app-environment-driver-user']);
    expect(await binds()).toBe(before + 1); // from the cache
    await expect(auth.roles(USERS.dave.user, 'wrong')).rejects.toBeInstanceOf(LdapRefused);
    expect(await binds()).toBe(before + 2); // a wrong password goes to LDAP
    // The refused bind dropped the entry: the right password binds again, then is cached anew.
    await auth.roles(USERS.dave.user, USERS.dave.password);
    expect(await binds()).toBe(before + 3);
    clock += 60_000;
    await auth.roles(USERS.dave.user, USERS.dave.password);
    expect(await binds()).toBe(before + 4); // expired
  });

  it('binds every time with a cache of 0 seconds', async () => {
    const auth = authenticator({ cacheMs: 0 });
    const before = await ldap.binds(USERS.alice.dn);
    await auth.roles(USERS.alice.user, USERS.alice.password);
    await auth.roles(USERS.alice.user, USERS.alice.password);
    expect(await ldap.binds(USERS.alice.dn)).toBe(before + 2);
  });

  describe('a server that cannot answer', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts connections and never says a word: only our timeout ends the bind.
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('is unavailable when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const auth = authenticator({ url: `ldap://127.0.0.1:${port}` });
      await expect(auth.roles(USERS.alice.user, USERS.alice.password)).rejects.toBeInstanceOf(LdapUnavailable);
    });

    it('is unavailable when the server never answers (operation timeout)', async () => {
      const { port } = silent.address() as AddressInfo;
      const auth = authenticator({ url: `ldap://127.0.0.1:${port}`, timeoutMs: 300 });
      const error = await auth.roles(USERS.alice.user, USERS.alice.password).catch((thrown: Error) => thrown);
      expect(error).toBeInstanceOf(LdapUnavailable);
      expect((error as Error).message).not.toContain(USERS.alice.password);
    });
  });
});
