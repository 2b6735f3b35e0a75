// AUTH_LDAP_*: HTTP Basic against LDAP, alone or beside OIDC; every mistake is a start-up error naming the key.
import { ConfigError, loadConfig } from '../../src/config';

const DEPLOYED = { TEMPORAL_ADDRESS: 'temporal:7233' };
const LDAP = {
  AUTH_LDAP_URL: 'ldaps://ldap.example.com:636',
  AUTH_LDAP_USER_DN_TEMPLATE: 'uid={user},ou=people,dc=example,dc=org',
  AUTH_LDAP_GROUP_BASE: 'ou=groups,dc=example,dc=org',
};

describe('LDAP configuration', () => {
  it('is off without AUTH_LDAP_URL', () => {
    expect(loadConfig({ ...DEPLOYED, OIDC_ISSUER: 'https://sso.example.com/realms/pnc' }).auth.ldap).toBeNull();
  });

  it('is enough on its own for authentication (no OIDC issuer needed)', () => {
    const config = loadConfig({ ...DEPLOYED, ...LDAP });
    expect(config.auth).toMatchObject({ enabled: true, issuer: null, jwksUrl: null });
    expect(config.auth.ldap).toEqual({
      url: 'ldaps://ldap.example.com:636',
      userDnTemplate: 'uid={user},ou=people,dc=example,dc=org',
      groupBase: 'ou=groups,dc=example,dc=org',
      cacheMs: 60_000,
      timeoutMs: 5000,
    });
  });

  it('reads the cache lifetime and the timeout', () => {
    const config = loadConfig({ ...DEPLOYED, ...LDAP, AUTH_LDAP_CACHE_SECONDS: '0', AUTH_LDAP_TIMEOUT_SECONDS: '1.5' });
    expect(config.auth.ldap).toMatchObject({ cacheMs: 0, timeoutMs: 1500 });
  });

  it.each([
    [{ AUTH_LDAP_URL: 'http://ldap.example.com' }, /AUTH_LDAP_URL/],
    [{ AUTH_LDAP_URL: 'ldap://ldap.example.com/dc=example,dc=org' }, /AUTH_LDAP_URL/],
    [{ AUTH_LDAP_URL: 'ldap.example.com:389' }, /AUTH_LDAP_URL/],
    [{ AUTH_LDAP_USER_DN_TEMPLATE: '' }, /AUTH_LDAP_USER_DN_TEMPLATE: required/],
    [{ AUTH_LDAP_USER_DN_TEMPLATE: 'uid=alice,ou=people' }, /AUTH_LDAP_USER_DN_TEMPLATE/],
    [{ AUTH_LDAP_USER_DN_TEMPLATE: 'uid={user},ou={user}' }, /AUTH_LDAP_USER_DN_TEMPLATE/],
    // A bare `{user}` would let the user name be any DN, or a SASL mechanism name such as EXTERNAL.
    [{ AUTH_LDAP_USER_DN_TEMPLATE: '{user}' }, /AUTH_LDAP_USER_DN_TEMPLATE/],
    [{ AUTH_LDAP_GROUP_BASE: ' ' }, /AUTH_LDAP_GROUP_BASE: required/],
    [{ AUTH_LDAP_CACHE_SECONDS: '-1' }, /AUTH_LDAP_CACHE_SECONDS/],
    [{ AUTH_LDAP_TIMEOUT_SECONDS: '0' }, /AUTH_LDAP_TIMEOUT_SECONDS/],
    [{ AUTH_LDAP_TIMEOUT_SECONDS: '301' }, /AUTH_LDAP_TIMEOUT_SECONDS/],
  ])('refuses %j', (override, message) => {
    const load = () => loadConfig({ ...DEPLOYED, ...LDAP, ...override });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('still demands some scheme when authentication is on', () => {
    expect(() => loadConfig(DEPLOYED)).toThrow(/OIDC_ISSUER, OIDC_JWKS_URL or AUTH_LDAP_URL/);
  });
});
