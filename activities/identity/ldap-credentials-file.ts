// The Java driver's LDAP service identity: `Basic` of a mounted `user:pass` file.
import { readFileSync } from 'node:fs';
import type { ServiceIdentity } from '../outbound-http';

function basic(content: string): string | null {
  const credentials = content.trim();
  return credentials.indexOf(':') > 0 ? `Basic ${Buffer.from(credentials).toString('base64')}` : null;
}

/**
 * Read at start (the configuration checked it already). A 401 reads the file again: if a rotated Secret mount
 * holds other credentials, the retry uses them; the same ones would only be refused again, so no retry then.
 */
export function ldapCredentialsFile(path: string): ServiceIdentity {
  const read = (): string | null => {
    try {
      return basic(readFileSync(path, 'utf8'));
    } catch {
      return null; // mid-rotation or gone: keep what we have
    }
  };
  let current = read();
  if (current === null) throw new Error(`CLIENT_AUTH_LDAP_CREDENTIALS_FILE: ${path} holds no user:password`);
  return {
    authorization: async () => current,
    refused(value) {
      const fresh = read();
      if (fresh === null || fresh === value) return false;
      current = fresh;
      return true;
    },
  };
}
