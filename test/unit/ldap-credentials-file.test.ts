// The LDAP service identity: Basic of the mounted file, which a 401 reads again (a rotated Secret).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ldapCredentialsFile } from '../../activities/identity/ldap-credentials-file';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('LDAP credentials file identity', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ldap-identity-')), 'credentials');

  it('sends Basic of the trimmed file, and retries a 401 only when the file changed', async () => {
    writeFileSync(file, 'builder:first\n');
    const identity = ldapCredentialsFile(file);
    expect(await identity.authorization()).toBe(basic('builder:first'));
    expect(identity.refused(basic('builder:first'))).toBe(false); // the same credentials would be refused again
    writeFileSync(file, 'builder:rotated\n');
    expect(identity.refused(basic('builder:first'))).toBe(true);
    expect(await identity.authorization()).toBe(basic('builder:rotated'));
  });

  it('keeps the credentials it has while the file is unreadable or malformed', async () => {
    writeFileSync(file, 'builder:kept');
    const identity = ldapCredentialsFile(file);
    writeFileSync(file, 'no colon here');
    expect(identity.refused(basic('builder:kept'))).toBe(false);
    expect(await identity.authorization()).toBe(basic('builder:kept'));
  });
});
