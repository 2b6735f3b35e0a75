// The service identity's configuration: which identity the variables pick, and start-up errors naming the variable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'service-identity-'));
function file(content: string): string {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, content);
  return path;
}
const identity = (env: Record<string, string>) => loadConfig(env).serviceIdentity;
const OIDC = { OIDC_CLIENT_ID: 'environment-driver', OIDC_CLIENT_TOKEN_URL: 'https://sso.example.com/token' };

describe('service identity configuration', () => {
  it('is none by default, oidc when a client id is set, and CALLBACK_AUTHORIZATION overrides everything', () => {
    expect(identity({})).toEqual({ type: 'none' });
    expect(identity({ ...OIDC, OIDC_CLIENT_SECRET: 's3cret' })).toEqual({
      type: 'oidc',
      tokenUrl: 'https://sso.example.com/token',
      issuer: null,
      clientId: 'environment-driver',
      secret: { value: 's3cret' },
    });
    expect(identity({ ...OIDC, OIDC_CLIENT_SECRET: 's3cret', CLIENT_AUTH_TYPE: 'none' })).toEqual({ type: 'none' });
    expect(identity({ ...OIDC, OIDC_CLIENT_SECRET: 's3cret', CALLBACK_AUTHORIZATION: 'Bearer fixed' })).toEqual({
      type: 'static',
      authorization: 'Bearer fixed',
    });
  });

  it('takes the issuer instead of a token URL, and a secret file (checked at start, kept as a path)', () => {
    const secretFile = file('  s3cret\n');
    expect(
      identity({
        OIDC_CLIENT_ID: 'c',
        OIDC_CLIENT_ISSUER: 'https://sso.example.com/realms/pnc',
        OIDC_CLIENT_SECRET_FILE: secretFile,
      }),
    ).toEqual({
      type: 'oidc',
      tokenUrl: null,
      issuer: 'https://sso.example.com/realms/pnc',
      clientId: 'c',
      secret: { file: secretFile },
    });
  });

  it('reads the ldap credentials file at start', () => {
    const path = file('user:pass\n');
    expect(identity({ CLIENT_AUTH_TYPE: 'ldap', CLIENT_AUTH_LDAP_CREDENTIALS_FILE: path })).toEqual({
      type: 'ldap',
      credentialsFile: path,
    });
  });

  const missing = join(dir, 'missing');
  it.each([
    [
      'oidc without a client id',
      { CLIENT_AUTH_TYPE: 'oidc', OIDC_CLIENT_SECRET: 'x', OIDC_CLIENT_TOKEN_URL: 'https://a/t' },
      /OIDC_CLIENT_ID/,
    ],
    ['oidc without a secret', { ...OIDC }, /OIDC_CLIENT_SECRET: .*required/],
    [
      'both secret and secret file',
      { ...OIDC, OIDC_CLIENT_SECRET: 'x', OIDC_CLIENT_SECRET_FILE: '/x' },
      /OIDC_CLIENT_SECRET_FILE: .*not both/,
    ],
    [
      'an unreadable secret file',
      { ...OIDC, OIDC_CLIENT_SECRET_FILE: missing },
      /OIDC_CLIENT_SECRET_FILE: cannot read .*ENOENT/,
    ],
    ['an empty secret file', { ...OIDC, OIDC_CLIENT_SECRET_FILE: 'EMPTY' }, /OIDC_CLIENT_SECRET_FILE: .* is empty/],
    [
      'neither token URL nor issuer',
      { OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 'x' },
      /OIDC_CLIENT_TOKEN_URL: .*OIDC_CLIENT_ISSUER/,
    ],
    [
      'a token URL that is no URL',
      { ...OIDC, OIDC_CLIENT_TOKEN_URL: 'sso/token', OIDC_CLIENT_SECRET: 'x' },
      /OIDC_CLIENT_TOKEN_URL/,
    ],
    ['an unknown type', { CLIENT_AUTH_TYPE: 'kerberos' }, /CLIENT_AUTH_TYPE/],
    ['ldap without a file', { CLIENT_AUTH_TYPE: 'ldap' }, /CLIENT_AUTH_LDAP_CREDENTIALS_FILE: .*required/],
    [
      'an unreadable ldap file',
      { CLIENT_AUTH_TYPE: 'ldap', CLIENT_AUTH_LDAP_CREDENTIALS_FILE: missing },
      /CLIENT_AUTH_LDAP_CREDENTIALS_FILE: cannot read/,
    ],
    [
      'an ldap file without a colon',
      { CLIENT_AUTH_TYPE: 'ldap', CLIENT_AUTH_LDAP_CREDENTIALS_FILE: 'NOCOLON' },
      /CLIENT_AUTH_LDAP_CREDENTIALS_FILE: .*user:password/,
    ],
    // The static override does not hide a broken identity setting.
    ['an override over a broken oidc', { ...OIDC, CALLBACK_AUTHORIZATION: 'Bearer fixed' }, /OIDC_CLIENT_SECRET/],
  ])('stops the start on %s, naming the variable', (_name, env: Record<string, string>, message) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'EMPTY' ? file(' \n') : v === 'NOCOLON' ? file('justauser\n') : v]),
    );
    expect(() => loadConfig(resolved)).toThrow(ConfigError);
    expect(() => loadConfig(resolved)).toThrow(message);
  });

  it('never puts a secret into its errors', () => {
    const path = file('hunter2-no-colon');
    const env = { CLIENT_AUTH_TYPE: 'ldap', CLIENT_AUTH_LDAP_CREDENTIALS_FILE: path };
    expect(() => loadConfig(env)).toThrow(/user:password/);
    expect(() => loadConfig(env)).not.toThrow(/hunter2/);
    const both = { ...OIDC, OIDC_CLIENT_SECRET: 'hunter2', OIDC_CLIENT_SECRET_FILE: path };
    expect(() => loadConfig(both)).not.toThrow(/hunter2/);
  });
});
