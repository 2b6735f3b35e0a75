// Who the driver is towards the services it calls (contract §0 "Outbound authentication"): the Java driver's
// PNCClientAuth, OIDC client credentials or an LDAP `user:pass` file, plus a static override.
import { readFileSync } from 'node:fs';
import { asChoice, asString, asUrl, ConfigError, fromEnv, type Found } from './sources';

/**
 * | variable | default | meaning |
 * |---|---|---|
 * | `CALLBACK_AUTHORIZATION` | none | static `Authorization` value: overrides the service identity below (secret) |
 * | `CLIENT_AUTH_TYPE` | `oidc` when `OIDC_CLIENT_ID` is set, else `none` | `oidc`, `ldap` or `none` |
 * | `OIDC_CLIENT_TOKEN_URL` | discovered from `OIDC_CLIENT_ISSUER` | token endpoint of the client-credentials grant |
 * | `OIDC_CLIENT_ISSUER` | none | issuer whose discovery document names the token endpoint |
 * | `OIDC_CLIENT_ID` | none | service account's client id |
 * | `OIDC_CLIENT_SECRET` | none | its secret (secret) |
 * | `OIDC_CLIENT_SECRET_FILE` | none | file holding the secret instead (trimmed; re-read for every new token) |
 * | `CLIENT_AUTH_LDAP_CREDENTIALS_FILE` | none | `user:pass` file of `ldap`: sent as `Basic` (re-read after a 401) |
 */
export const SERVICE_IDENTITY_VARIABLES = [
  'CALLBACK_AUTHORIZATION',
  'CLIENT_AUTH_TYPE',
  'OIDC_CLIENT_TOKEN_URL',
  'OIDC_CLIENT_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_CLIENT_SECRET_FILE',
  'CLIENT_AUTH_LDAP_CREDENTIALS_FILE',
] as const;

/** The secret of a client: a value, or a file read again whenever it is needed (a rotated Kubernetes Secret). */
export type ClientSecretSource = { value: string } | { file: string };

export type ServiceIdentityConfig =
  | { type: 'none' }
  /** Secret: never log it. */
  | { type: 'static'; authorization: string }
  | {
      type: 'oidc';
      /** One of tokenUrl and issuer is set; tokenUrl wins. */
      tokenUrl: string | null;
      issuer: string | null;
      clientId: string;
      secret: ClientSecretSource;
    }
  | { type: 'ldap'; credentialsFile: string };

/** Reads a secret file, trimmed; a file that cannot be read or is blank stops the start, naming the variable. */
export function readSecretFile(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration ${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (text === '') throw new ConfigError(`Invalid configuration ${variable}: ${path} is empty`);
  return text;
}

/** The chosen type is checked in full even when CALLBACK_AUTHORIZATION overrides it: a bad setting is never silent. */
export function readServiceIdentity(env: NodeJS.ProcessEnv): ServiceIdentityConfig {
  const get = (name: (typeof SERVICE_IDENTITY_VARIABLES)[number]): Found | undefined => fromEnv(env, name);
  const text = (name: (typeof SERVICE_IDENTITY_VARIABLES)[number]) => asString(get(name), null);
  const clientId = text('OIDC_CLIENT_ID');
  const fallback = clientId === null ? 'none' : 'oidc';
  const type = asChoice(get('CLIENT_AUTH_TYPE'), fallback, ['none', 'oidc', 'ldap'] as const);

  let identity: ServiceIdentityConfig = { type: 'none' };
  if (type === 'oidc') identity = readOidc(clientId, text('OIDC_CLIENT_SECRET'), get);
  if (type === 'ldap') identity = readLdap(text('CLIENT_AUTH_LDAP_CREDENTIALS_FILE'));
  const override = text('CALLBACK_AUTHORIZATION');
  return override === null ? identity : { type: 'static', authorization: override };
}

function readOidc(
  clientId: string | null,
  secretValue: string | null,
  get: (name: (typeof SERVICE_IDENTITY_VARIABLES)[number]) => Found | undefined,
): ServiceIdentityConfig {
  if (clientId === null) {
    throw new ConfigError('Invalid configuration OIDC_CLIENT_ID: CLIENT_AUTH_TYPE is oidc, so a client id is required');
  }
  const tokenUrl = asUrl(get('OIDC_CLIENT_TOKEN_URL'), null);
  const issuer = asUrl(get('OIDC_CLIENT_ISSUER'), null);
  if (tokenUrl === null && issuer === null) {
    throw new ConfigError(
      'Invalid configuration OIDC_CLIENT_TOKEN_URL: CLIENT_AUTH_TYPE is oidc, so OIDC_CLIENT_TOKEN_URL or OIDC_CLIENT_ISSUER is required',
    );
  }
  const secretFile = asString(get('OIDC_CLIENT_SECRET_FILE'), null);
  if (secretValue !== null && secretFile !== null) {
    throw new ConfigError(
      'Invalid configuration OIDC_CLIENT_SECRET_FILE: set OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both',
    );
  }
  if (secretValue === null && secretFile === null) {
    throw new ConfigError(
      'Invalid configuration OIDC_CLIENT_SECRET: CLIENT_AUTH_TYPE is oidc, so OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE is required',
    );
  }
  // Read once here so a missing mount stops the start; the identity reads it again for every new token.
  if (secretFile !== null) readSecretFile('OIDC_CLIENT_SECRET_FILE', secretFile);
  const secret = secretFile !== null ? { file: secretFile } : { value: secretValue! };
  return { type: 'oidc', tokenUrl, issuer, clientId, secret };
}

function readLdap(credentialsFile: string | null): ServiceIdentityConfig {
  if (credentialsFile === null) {
    throw new ConfigError(
      'Invalid configuration CLIENT_AUTH_LDAP_CREDENTIALS_FILE: CLIENT_AUTH_TYPE is ldap, so a credentials file is required',
    );
  }
  checkLdapCredentials(readSecretFile('CLIENT_AUTH_LDAP_CREDENTIALS_FILE', credentialsFile), credentialsFile);
  return { type: 'ldap', credentialsFile };
}

/** `user:pass`, as the Java driver's file; the content itself never goes into the message. */
export function checkLdapCredentials(content: string, path: string): void {
  if (content.indexOf(':') <= 0) {
    throw new ConfigError(
      `Invalid configuration CLIENT_AUTH_LDAP_CREDENTIALS_FILE: ${path} must hold user:password (one colon after a non-empty user name)`,
    );
  }
}
