// The one configuration loader (DESIGN §6): called once at start, validated, typed.
import type { EnvironmentSettings, EnvironmentTemplateSources, TemplateDefaults } from '../../workflows/types';
import { version as packageVersion } from '../../package.json';
import { readBifrostKeys, type BifrostConfig } from './bifrost';
import type { LdapConfig } from './ldap';
import { readArtifactory, type ArtifactoryConfig } from './artifactory';
import { buildInfo } from './build-info';
import { readDriverKeys } from './driver-keys';
import { readEnvironment } from './environment';
import { readServiceIdentity, type ServiceIdentityConfig } from './service-identity';
import { asString, fromEnv, readConfigFile } from './sources';

export { ConfigError } from './sources';
export { CONFIG_ENVIRONMENT_VARIABLES } from './environment';
export type { ServiceIdentityConfig } from './service-identity';
export { DRIVER_KEYS, DRIVER_KEY_ENVIRONMENT_VARIABLES } from './driver-keys';
export { BIFROST_ENVIRONMENT_VARIABLES, type BifrostConfig } from './bifrost';

export interface DriverConfig {
  role: 'all' | 'api' | 'worker';
  /** Laptop mode: embedded Temporal dev server, auth off by default. */
  localMode: boolean;
  logLevel: string;
  /** `auto`: pretty on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  http: {
    host: string;
    port: number;
    selfBaseUrl: string;
    shutdownGraceMs: number;
    /** Browser origins allowed by CORS (exact), `['*']` for any origin without credentials, `[]` for none. */
    corsOrigins: string[];
  };
  auth: {
    enabled: boolean;
    issuer: string | null;
    jwksUrl: string | null;
    audience: string | null;
    roles: string[];
    /** HTTP Basic checked against LDAP; null when AUTH_LDAP_URL is unset. */
    ldap: LdapConfig | null;
  };
  temporal: {
    /** null: start the embedded dev server. */
    address: string | null;
    namespace: string;
    taskQueue: string;
    apiKey: string | null;
    /** Secret: base64 AES-256 key of the payload codec, or null for plain payloads. */
    payloadCodecKey: string | null;
    /** Workflows kept in a worker's memory (sticky cache). */
    workflowCacheSize: number;
    tls: { clientCertPath: string | null; clientKeyPath: string | null; serverCaCertPath: string | null } | null;
    uiPort: number;
    devServerPort: number;
    dataDir: string;
  };
  kubernetes: { kubeconfig: string | null; namespace: string | null };
  /** YAML templates as configured, checked by compiling them here; the worker compiles them once for rendering. */
  templates: EnvironmentTemplateSources;
  /** Where each template came from, for the start-up error that names a bad one. */
  templateOrigins: Record<keyof EnvironmentTemplateSources, string>;
  templateDefaults: TemplateDefaults;
  reaper: { intervalMs: number; graceMs: number };
  /** Snapshotted into each workflow input; milliseconds everywhere. */
  settings: EnvironmentSettings;
  /** Who the driver is towards callback, Indy, Bifrost and Artifactory; holds secrets: never log it. */
  serviceIdentity: ServiceIdentityConfig;
  /** Token source of build agents; null when no INDY_URL is set or disable-indy-token-fetch is true. */
  indyUrl: string | null;
  /** Where each environment's final log goes before its callback (`bifrost-uploader.*`, contract §2.1). */
  bifrost: BifrostConfig;
  /** Artifactory build-agent tokens (replace Indy's when set); null when artifactory.enabled is not true. */
  artifactory: ArtifactoryConfig | null;
  version: { name: 'environment-driver'; version: string; commit: string; builtOn: string };
}

/**
 * Builds the configuration from the environment and the optional YAML file (`options.file`, else
 * `ENVIRONMENT_DRIVER_CONFIG`). Environment variables win over the file. Throws ConfigError naming the bad key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { file?: string } = {}): DriverConfig {
  const path = options.file ?? asString(fromEnv(env, 'ENVIRONMENT_DRIVER_CONFIG'), null);
  const file = path === null ? new Map<string, unknown>() : readConfigFile(path);
  const { build, http, ...rest } = readEnvironment(env);
  // Locally the cancel URI should point at this very process; deployments set their public URL.
  const driver = readDriverKeys(
    { env, file },
    rest.localMode ? `http://localhost:${http.port}/` : 'http://localhost:8081/',
  );
  const bifrost = readBifrostKeys({ env, file });
  const artifactory = readArtifactory({ env, file });
  return {
    ...rest,
    http: { ...http, selfBaseUrl: driver.selfBaseUrl },
    templates: driver.templates,
    templateOrigins: driver.templateOrigins,
    // Java: the default repositories apply only when Artifactory is enabled.
    templateDefaults: artifactory
      ? {
          ...driver.templateDefaults,
          defaultDependencyUrl: artifactory.defaultDependencyUrl,
          defaultDeployUrl: artifactory.defaultDeployUrl,
        }
      : driver.templateDefaults,
    reaper: driver.reaper,
    indyUrl: driver.disableIndyTokenFetch || artifactory ? null : rest.indyUrl,
    artifactory,
    // Only a configured Bifrost gets room in the callback's timeout; otherwise the snapshot stays as it was.
    settings: bifrost.apiUrl ? { ...driver.settings, finalLogMaxDelayMs: bifrost.maxDelayMs } : driver.settings,
    bifrost,
    serviceIdentity: readServiceIdentity(env),
    version: { name: 'environment-driver', version: packageVersion, ...buildInfo(build) },
  };
}
