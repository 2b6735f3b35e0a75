// The settings that only come from environment variables: process role, HTTP, auth, Temporal, Kubernetes.
import { resolve } from 'node:path';
import { readLdap } from './ldap';
import { SERVICE_IDENTITY_VARIABLES } from './service-identity';
import { asBoolean, asChoice, asNumber, asString, asUrl, ConfigError, fromEnv } from './sources';

/**
 * Environment variables besides the Java keys (`ENVIRONMENT_DRIVER_*`, see driver-keys.ts). Blank = unset.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `ENVIRONMENT_DRIVER_CONFIG` | none | YAML file with the Java driver's `environment-driver:` section |
 * | `HOST` | `127.0.0.1` local, else `0.0.0.0` | HTTP listen address |
 * | `PORT` | `8080` | HTTP listen port |
 * | `SELF_BASE_URL` | `http://localhost:<PORT>/` local, else `http://localhost:8081/` | base of `cancel.uri`; overrides `self-base-url` |
 * | `DRIVER_ROLE` | `all` | `all` (API + worker), `api` or `worker` |
 * | `DRIVER_LOCAL_MODE` | `true` iff `TEMPORAL_ADDRESS` unset | laptop mode: embedded Temporal, auth off |
 * | `AUTH_ENABLED` | not local mode | require an OIDC bearer token or LDAP Basic credentials on /create, /complete, /cancel (api role: needs `OIDC_ISSUER`, `OIDC_JWKS_URL` or `AUTH_LDAP_URL`) |
 * | `OIDC_ISSUER` | none | token issuer; its JWKS is discovered unless `OIDC_JWKS_URL` is set |
 * | `OIDC_JWKS_URL` | none | JWKS location |
 * | `OIDC_AUDIENCE` | none | required `aud`, when set |
 * | `AUTH_ROLES` | `pnc-app-environment-driver-user,pnc-users-admin` | accepted roles, comma separated |
 * | `AUTH_LDAP_URL` | none: no Basic | `ldap://` or `ldaps://` server checking HTTP Basic credentials |
 * | `AUTH_LDAP_USER_DN_TEMPLATE` | none (required with the URL) | the user's DN, `{user}` replaced by the escaped user name |
 * | `AUTH_LDAP_GROUP_BASE` | none (required with the URL) | where groups listing the user (`member`/`uniqueMember`) are searched; their `cn` are roles |
 * | `AUTH_LDAP_CACHE_SECONDS` | `60` | how long a successful bind is reused for the same user and password; `0`: never |
 * | `AUTH_LDAP_TIMEOUT_SECONDS` | `5` | bound of the connect and of each LDAP operation |
 * | `TEMPORAL_ADDRESS` | none: embedded dev server | `host:port` of the Temporal frontend |
 * | `TEMPORAL_NAMESPACE` | `default` | Temporal namespace |
 * | `TEMPORAL_TASK_QUEUE` | `environment-driver` | task queue of workflows and activities |
 * | `TEMPORAL_API_KEY` | none | API key (secret) |
 * | `TEMPORAL_TLS_CLIENT_CERT_PATH` | none | mTLS client certificate; needs the key too |
 * | `TEMPORAL_TLS_CLIENT_KEY_PATH` | none | mTLS client key |
 * | `TEMPORAL_TLS_SERVER_CA_CERT_PATH` | none | CA of the Temporal server |
 * | `TEMPORAL_UI_PORT` | `8233` | Web UI port of the embedded dev server |
 * | `TEMPORAL_DEV_PORT` | `7233` | frontend port of the embedded dev server |
 * | `DATA_DIR` | `.data` under the working directory | embedded server database and caches |
 * | `KUBECONFIG` | none: in-cluster account, then `~/.kube/config` | Kubernetes credentials |
 * | `KUBE_NAMESPACE` | none: from the kubeconfig or the pod | namespace of the environments |
 * | `WORKFLOW_CACHE_SIZE` | `100` | workflows a worker keeps in memory; the rest replay (~35 events) when they wake |
 * | `INDY_URL` | none | Indy base URL: build agents' repository tokens are fetched there (unless `disable-indy-token-fetch`) |
 * | `PAYLOAD_CODEC_KEY` | none | base64 of 32 bytes: encrypt every Temporal payload (AES-256-GCM; secret) |
 * | service identity (`CALLBACK_AUTHORIZATION`, `CLIENT_AUTH_TYPE`, `OIDC_CLIENT_*`…) | | see service-identity.ts |
 * | `LOG_LEVEL` | `info` | pino level, also of the Temporal SDK's lines |
 * | `LOG_FORMAT` | `auto` | `json` (one object per line), `pretty`, or `auto`: pretty on a terminal, else JSON |
 * | `CORS_ORIGINS` | none | origins (`https://temporal-ui.example.com`, comma separated) allowed to call the API from a browser, with credentials; `*` alone: any origin, without credentials |
 * | `SHUTDOWN_GRACE_SECONDS` | `0` local, else `10` | how long in-flight requests may finish on SIGTERM |
 * | `BUILD_COMMIT` | recorded by the build (build-info.ts) | `commit` of /version; `unknown` → the recorded one |
 * | `BUILD_TIME` | recorded by the build | `builtOn` of /version; not an ISO time (`unknown`) → the recorded one |
 */
export const CONFIG_ENVIRONMENT_VARIABLES: readonly string[] = [
  'ENVIRONMENT_DRIVER_CONFIG',
  'HOST',
  'PORT',
  'SELF_BASE_URL',
  'DRIVER_ROLE',
  'DRIVER_LOCAL_MODE',
  'AUTH_ENABLED',
  'OIDC_ISSUER',
  'OIDC_JWKS_URL',
  'OIDC_AUDIENCE',
  'AUTH_ROLES',
  'AUTH_LDAP_URL',
  'AUTH_LDAP_USER_DN_TEMPLATE',
  'AUTH_LDAP_GROUP_BASE',
  'AUTH_LDAP_CACHE_SECONDS',
  'AUTH_LDAP_TIMEOUT_SECONDS',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_UI_PORT',
  'TEMPORAL_DEV_PORT',
  'DATA_DIR',
  'KUBECONFIG',
  'KUBE_NAMESPACE',
  ...SERVICE_IDENTITY_VARIABLES,
  'PAYLOAD_CODEC_KEY',
  'INDY_URL',
  'WORKFLOW_CACHE_SIZE',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'SHUTDOWN_GRACE_SECONDS',
  'CORS_ORIGINS',
  'BUILD_COMMIT',
  'BUILD_TIME',
];

const DEFAULT_ROLES = ['pnc-app-environment-driver-user', 'pnc-users-admin'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Everything the environment variables decide, in DriverConfig's shape. */
export function readEnvironment(env: NodeJS.ProcessEnv) {
  const get = (name: string) => fromEnv(env, name);
  const text = (name: string) => asString(get(name), null);
  const port = (name: string, fallback: number) => asNumber(get(name), fallback, true, 65535);

  const address = text('TEMPORAL_ADDRESS');
  const localMode = asBoolean(get('DRIVER_LOCAL_MODE'), address === null);

  const auth = {
    enabled: asBoolean(get('AUTH_ENABLED'), !localMode),
    issuer: asUrl(get('OIDC_ISSUER'), null),
    jwksUrl: asUrl(get('OIDC_JWKS_URL'), null),
    audience: text('OIDC_AUDIENCE'),
    roles: roles(get('AUTH_ROLES')?.value as string | undefined),
    ldap: readLdap(get),
  };
  const role = asChoice(get('DRIVER_ROLE'), 'all', ['all', 'api', 'worker'] as const);
  // A worker serves no HTTP API, so it needs no token issuer.
  if (role !== 'worker' && auth.enabled && auth.issuer === null && auth.jwksUrl === null && auth.ldap === null) {
    throw new ConfigError(
      'Invalid configuration OIDC_ISSUER: authentication is on, so OIDC_ISSUER, OIDC_JWKS_URL or AUTH_LDAP_URL is required',
    );
  }

  const tlsPaths = {
    clientCertPath: text('TEMPORAL_TLS_CLIENT_CERT_PATH'),
    clientKeyPath: text('TEMPORAL_TLS_CLIENT_KEY_PATH'),
    serverCaCertPath: text('TEMPORAL_TLS_SERVER_CA_CERT_PATH'),
  };
  if ((tlsPaths.clientCertPath === null) !== (tlsPaths.clientKeyPath === null)) {
    throw new ConfigError(
      'Invalid configuration TEMPORAL_TLS_CLIENT_KEY_PATH: set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH, or neither',
    );
  }
  const anyTls = Object.values(tlsPaths).some((path) => path !== null);

  return {
    role,
    localMode,
    logLevel: asChoice(get('LOG_LEVEL'), 'info', LOG_LEVELS),
    logFormat: asChoice(get('LOG_FORMAT'), 'auto', ['auto', 'json', 'pretty'] as const),
    http: {
      host: asString(get('HOST'), localMode ? '127.0.0.1' : '0.0.0.0'),
      port: port('PORT', 8080),
      // A laptop has no load balancer to drain: stop at once there.
      shutdownGraceMs: Math.round(asNumber(get('SHUTDOWN_GRACE_SECONDS'), localMode ? 0 : 10, false) * 1000),
      corsOrigins: corsOrigins(text('CORS_ORIGINS')),
    },
    auth,
    temporal: {
      address,
      namespace: asString(get('TEMPORAL_NAMESPACE'), 'default'),
      taskQueue: asString(get('TEMPORAL_TASK_QUEUE'), 'environment-driver'),
      apiKey: text('TEMPORAL_API_KEY'),
      payloadCodecKey: codecKey(text('PAYLOAD_CODEC_KEY')),
      workflowCacheSize: asNumber(get('WORKFLOW_CACHE_SIZE'), 100, true),
      tls: anyTls ? tlsPaths : null,
      uiPort: port('TEMPORAL_UI_PORT', 8233),
      devServerPort: port('TEMPORAL_DEV_PORT', 7233),
      dataDir: resolve(asString(get('DATA_DIR'), '.data')),
    },
    kubernetes: { kubeconfig: text('KUBECONFIG'), namespace: text('KUBE_NAMESPACE') },
    indyUrl: asUrl(get('INDY_URL'), null),
    // Overrides of what the build recorded (build-info.ts).
    build: { commit: text('BUILD_COMMIT'), time: text('BUILD_TIME') },
  };
}

function codecKey(value: string | null): string | null {
  if (value !== null && Buffer.from(value, 'base64').length !== 32) {
    throw new ConfigError(
      'Invalid configuration PAYLOAD_CODEC_KEY: expected the base64 encoding of 32 random bytes (openssl rand -base64 32)',
    );
  }
  return value;
}

const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]+)?$/;

/** Exact origins (`scheme://host[:port]`), or `*` alone; never a pattern, so no Origin is reflected by accident. */
function corsOrigins(value: string | null): string[] {
  if (value === null) return [];
  const list = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  if (list.includes('*')) {
    if (list.length > 1) throw new ConfigError(`Invalid configuration CORS_ORIGINS: '*' stands alone ('${value}')`);
    return list;
  }
  for (const origin of list) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    // No wildcards in the host: the match is exact, so `https://*.example.com` would only mislead.
    if (!parsed || !ORIGIN.test(origin) || parsed.origin !== origin) {
      throw new ConfigError(
        `Invalid configuration CORS_ORIGINS: '${origin}' is not an origin like https://temporal-ui.example.com (scheme, host, optional port; no path)`,
      );
    }
  }
  return list;
}

function roles(value: string | undefined): string[] {
  if (value === undefined) return [...DEFAULT_ROLES];
  const list = value
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  if (list.length === 0) throw new ConfigError(`Invalid configuration AUTH_ROLES: '${value}' names no role`);
  return list;
}
