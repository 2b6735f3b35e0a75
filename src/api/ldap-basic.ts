// HTTP Basic checked against LDAP (the Java driver's `quarkus.http.auth.basic` + elytron-ldap): bind as the user
// through the DN template, then read the groups under the group base that list the user's DN as `member` or
// `uniqueMember`; each group's `cn` is a role. Successful binds are cached briefly (bind-cache.ts).
import { Client, ResultCodeError } from 'ldapts';
import type { LdapConfig } from '../config/ldap';
import { BindCache } from './bind-cache';
import { escapeFilterValue, userDn } from './ldap-escape';

/** The directory said no: 401. */
export class LdapRefused extends Error {}
/** The directory could not be asked, or failed: 503. */
export class LdapUnavailable extends Error {}

const MAX_CACHED_USERS = 10_000;
const MAX_GROUPS = 1000;
// What a bind answers for a wrong or unknown user or password (RFC 4511 §4.1.9); any other answer is a fault.
const REFUSALS = new Set([
  32, // noSuchObject
  34, // invalidDNSyntax
  48, // inappropriateAuthentication
  49, // invalidCredentials
  53, // unwillingToPerform (e.g. a disabled or locked account)
]);

export class LdapBasicAuthenticator {
  private readonly cache: BindCache;

  constructor(
    private readonly config: LdapConfig,
    now: () => number = Date.now,
  ) {
    this.cache = new BindCache(config.cacheMs, MAX_CACHED_USERS, now);
  }

  /** The user's roles (group names); throws LdapRefused or LdapUnavailable. */
  async roles(user: string, password: string): Promise<string[]> {
    const cached = this.cache.get(user, password);
    if (cached) return cached;
    const roles = await this.ask(user, password);
    this.cache.set(user, password, roles);
    return roles;
  }

  private async ask(user: string, password: string): Promise<string[]> {
    const dn = userDn(this.config.userDnTemplate, user);
    const client = new Client({
      url: this.config.url,
      connectTimeout: this.config.timeoutMs,
      timeout: this.config.timeoutMs,
    });
    try {
      try {
        await client.bind(dn, password);
      } catch (error) {
        if (error instanceof ResultCodeError && REFUSALS.has(error.code)) {
          this.cache.forget(user);
          throw new LdapRefused(`bind refused (LDAP result ${error.code})`);
        }
        throw error;
      }
      const filter = `(|(member=${escapeFilterValue(dn)})(uniqueMember=${escapeFilterValue(dn)}))`;
      const { searchEntries } = await client.search(this.config.groupBase, {
        scope: 'sub',
        filter,
        attributes: ['cn'],
        sizeLimit: MAX_GROUPS,
        timeLimit: Math.ceil(this.config.timeoutMs / 1000),
      });
      return searchEntries.flatMap((entry) => [entry.cn ?? []].flat().map(String));
    } catch (error) {
      if (error instanceof LdapRefused) throw error;
      // The message names the server's answer or the network error, never the password.
      throw new LdapUnavailable(`LDAP ${this.config.url}: ${(error as Error).message}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
