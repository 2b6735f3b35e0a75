// The LDAP settings of HTTP Basic authentication (AUTH_LDAP_*), checked at start so a typo is an error, not a
// directory that refuses everybody.
import { asNumber, asString, ConfigError, type Found } from './sources';

export interface LdapConfig {
  url: string;
  /** `uid={user},ou=people,dc=example,dc=org`: `{user}` once, replaced by the escaped user name. */
  userDnTemplate: string;
  groupBase: string;
  cacheMs: number;
  /** Bounds the TCP (and TLS) connect and each LDAP operation. */
  timeoutMs: number;
}

export function readLdap(get: (name: string) => Found | undefined): LdapConfig | null {
  const url = get('AUTH_LDAP_URL');
  if (!url) return null;
  const required = (name: string) => {
    const value = asString(get(name), null);
    if (value === null) throw new ConfigError(`Invalid configuration ${name}: required when AUTH_LDAP_URL is set`);
    return value;
  };
  const userDnTemplate = required('AUTH_LDAP_USER_DN_TEMPLATE');
  // At least one `attr=` around `{user}`: a bare `{user}` would let a user name be a SASL mechanism or any DN.
  if (userDnTemplate.split('{user}').length !== 2 || !userDnTemplate.includes('=')) {
    throw new ConfigError(
      `Invalid configuration AUTH_LDAP_USER_DN_TEMPLATE: ${JSON.stringify(userDnTemplate)} is not a DN with {user} once, like uid={user},ou=people,dc=example,dc=org`,
    );
  }
  const timeoutSeconds = asNumber(get('AUTH_LDAP_TIMEOUT_SECONDS'), 5, false, 300);
  // 0 would mean "wait forever" to the LDAP client.
  if (timeoutSeconds <= 0) throw new ConfigError('Invalid configuration AUTH_LDAP_TIMEOUT_SECONDS: must be above 0');
  return {
    url: ldapUrl(url),
    userDnTemplate,
    groupBase: required('AUTH_LDAP_GROUP_BASE'),
    cacheMs: Math.round(asNumber(get('AUTH_LDAP_CACHE_SECONDS'), 60, false, 86_400) * 1000),
    timeoutMs: Math.ceil(timeoutSeconds * 1000),
  };
}

function ldapUrl(found: Found): string {
  const text = asString(found, '');
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || !['ldap:', 'ldaps:'].includes(url.protocol) || !url.hostname || !['', '/'].includes(url.pathname)) {
    throw new ConfigError(
      `Invalid configuration AUTH_LDAP_URL: ${JSON.stringify(text)} is not an ldap:// or ldaps:// URL (scheme, host, optional port)`,
    );
  }
  return text;
}
