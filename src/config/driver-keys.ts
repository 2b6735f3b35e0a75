// The Java driver's `environment-driver.*` keys (contract §3.4, §7) and our additions, with their defaults.
import {
  DEFAULT_POD_TEMPLATE,
  DEFAULT_ROUTE_TEMPLATE,
  DEFAULT_SERVICE_TEMPLATE,
  DEFAULT_SSH_SERVICE_TEMPLATE,
} from './default-templates';
import { ARTIFACTORY_ENVIRONMENT_VARIABLES } from './artifactory';
import type {
  EnvironmentSettings,
  EnvironmentTemplateSources,
  RetryBudget,
  TemplateDefaults,
} from '../../workflows/types';
import {
  asBoolean,
  asNumber,
  asString,
  asTemplate,
  asUrl,
  ConfigError,
  environmentName,
  fromEnv,
  lookup,
  type ConfigSource,
} from './sources';

/** Every key we read, relative to `environment-driver.`; durations in seconds unless the key ends in `-msec`. */
export const DRIVER_KEYS = [
  'self-base-url',
  'working-directory',
  'builder-pod-memory',
  'firewall-allowed-destinations',
  'allowed-http-outgoing-destinations',
  'proxy-server',
  'proxy-port',
  'non-proxy-hosts',
  'build-agent.container-port',
  'build-agent.ping-path',
  'build-agent.service-scheme',
  'build-agent.host',
  'build-agent.running-wait-for',
  'build-agent.running-retry-delay-msec',
  'build-agent.running-retry-max-delay-msec',
  'pod-running-wait-for',
  'pod-running-retry-delay-msec',
  'pod-running-retry-max-delay-msec',
  'service-running-wait-for',
  'service-running-retry-delay-msec',
  'service-running-retry-max-delay-msec',
  'callback-retry-duration',
  'callback-retry-delay-msec',
  'callback-retry-max-delay-msec',
  'destroy-retry-duration',
  'destroy-retry-delay-msec',
  'destroy-retry-max-delay-msec',
  'ssh-ping-retry-duration',
  'ssh-ping-retry-delay-msec',
  'ssh-ping-retry-max-delay-msec',
  'http-client.connect-timeout',
  'http-client.request-timeout',
  'openshift.pod',
  'openshift.service',
  'openshift.ssh-service',
  'openshift.route',
  'openshift.ssh-service-port-name',
  // Ours, not the Java driver's:
  'environment-lifetime',
  'failed-environment-grace',
  'debug-lease',
  'activity-heartbeat-timeout',
  'orphan-sweep-interval',
  'orphan-grace',
  'disable-indy-token-fetch',
] as const;

export type DriverKey = (typeof DRIVER_KEYS)[number];

/** The Quarkus-style variables that override the keys above, e.g. `ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR`. */
export const DRIVER_KEY_ENVIRONMENT_VARIABLES: readonly string[] = [
  ...DRIVER_KEYS.map((key) => environmentName(`environment-driver.${key}`)),
  'HTTP_CLIENT_CONNECT_TIMEOUT',
  'HTTP_CLIENT_REQUEST_TIMEOUT',
  ...ARTIFACTORY_ENVIRONMENT_VARIABLES,
];

type TemplateName = keyof EnvironmentTemplateSources;

/** The configuration key of each template, under `environment-driver.` (contract §3.4, §7). */
export const TEMPLATE_KEYS = {
  pod: 'openshift.pod',
  service: 'openshift.service',
  sshService: 'openshift.ssh-service',
  route: 'openshift.route',
} as const satisfies Record<TemplateName, string>;

export interface DriverKeyValues {
  selfBaseUrl: string;
  /** The templates as configured (compiled once at start by the process, which refuses to start on a bad one). */
  templates: EnvironmentTemplateSources;
  /** Where each template came from (key, and environment variable or file), for that error message. */
  templateOrigins: Record<TemplateName, string>;
  templateDefaults: TemplateDefaults;
  disableIndyTokenFetch: boolean;
  /** The orphan reaper: how often it sweeps, and how old an unowned object must be before it goes. */
  reaper: { intervalMs: number; graceMs: number };
  settings: EnvironmentSettings;
}

/** Reads every driver key; throws ConfigError naming the first invalid one. */
export function readDriverKeys(source: ConfigSource, defaultSelfBaseUrl = 'http://localhost:8081/'): DriverKeyValues {
  // The Java driver read http-client.* at the top level; accept it under environment-driver too.
  const find = (key: DriverKey) => {
    const full = `environment-driver.${key}`;
    return lookup(source, key.startsWith('http-client.') ? [full, key] : [full]);
  };
  const text = (key: DriverKey, fallback: string) => asString(find(key), fallback);
  const optional = (key: DriverKey) => asString(find(key), null);
  const int = (key: DriverKey, fallback: number, max?: number) => asNumber(find(key), fallback, true, max);
  const secondsMs = (key: DriverKey, fallback: number) => asNumber(find(key), fallback, true) * 1000;
  // Our additions accept fractions of a second, which keeps tests short.
  const fractionMs = (key: DriverKey, fallback: number) => Math.round(asNumber(find(key), fallback, false) * 1000);

  // Each loop has `<prefix>-<duration>` in seconds and `<prefix>-retry-[max-]delay-msec` (contract §3.4).
  const retry = (prefix: string, duration: string, seconds: number, delayMs: number, maxDelayMs: number) => {
    const delayKey = `${prefix}-retry-delay-msec` as DriverKey;
    const budget: RetryBudget = {
      durationMs: secondsMs(`${prefix}-${duration}` as DriverKey, seconds),
      delayMs: int(delayKey, delayMs),
      maxDelayMs: int(`${prefix}-retry-max-delay-msec` as DriverKey, maxDelayMs),
    };
    if (budget.delayMs > budget.maxDelayMs) {
      throw new ConfigError(
        `Invalid configuration environment-driver.${delayKey}: ${budget.delayMs} is above its max delay`,
      );
    }
    return budget;
  };

  const settings: EnvironmentSettings = {
    podRunning: retry('pod-running', 'wait-for', 600, 1000, 5000),
    serviceRunning: retry('service-running', 'wait-for', 60, 500, 5000),
    agentPing: retry('build-agent.running', 'wait-for', 30, 500, 2000),
    callback: retry('callback', 'retry-duration', 300, 500, 5000),
    destroy: retry('destroy', 'retry-duration', 3600, 1000, 10000),
    sshPing: retry('ssh-ping', 'retry-duration', 15, 500, 2000),
    httpConnectTimeoutMs: secondsMs('http-client.connect-timeout', 5),
    httpRequestTimeoutMs: secondsMs('http-client.request-timeout', 15),
    agentServiceScheme: text('build-agent.service-scheme', 'http'),
    agentPingPath: text('build-agent.ping-path', '/'),
    agentHost: text('build-agent.host', 'localhost'),
    workingDirectory: text('working-directory', '/tmp'),
    sshServicePortName: text('openshift.ssh-service-port-name', '2222-ssh'),
    lifetimeMs: fractionMs('environment-lifetime', 86400),
    failedGraceMs: fractionMs('failed-environment-grace', 600),
    debugLeaseMs: fractionMs('debug-lease', 3600),
    heartbeatTimeoutMs: fractionMs('activity-heartbeat-timeout', 30),
  };

  const templateOrigins = {} as Record<TemplateName, string>;
  const template = (name: TemplateName, fallback: string): string => {
    const found = find(TEMPLATE_KEYS[name]);
    templateOrigins[name] = found?.origin ?? `environment-driver.${TEMPLATE_KEYS[name]} (default)`;
    return asTemplate(found, fallback);
  };

  const templateDefaults: TemplateDefaults = {
    firewallAllowedDestinations: text('firewall-allowed-destinations', '127.0.0.1'),
    allowedHttpOutgoingDestinations: optional('allowed-http-outgoing-destinations'),
    proxyServer: optional('proxy-server'),
    proxyPort: optional('proxy-port'),
    nonProxyHosts: text('non-proxy-hosts', 'localhost'),
    containerPort: String(int('build-agent.container-port', 8080, 65535)),
    builderPodMemoryGiB: int('builder-pod-memory', 4),
  };

  return {
    // SELF_BASE_URL is the short name operators look for first.
    selfBaseUrl: asUrl(fromEnv(source.env, 'SELF_BASE_URL') ?? find('self-base-url'), defaultSelfBaseUrl),
    templates: {
      pod: template('pod', DEFAULT_POD_TEMPLATE),
      service: template('service', DEFAULT_SERVICE_TEMPLATE),
      sshService: template('sshService', DEFAULT_SSH_SERVICE_TEMPLATE),
      route: template('route', DEFAULT_ROUTE_TEMPLATE),
    },
    templateOrigins,
    templateDefaults,
    settings,
    disableIndyTokenFetch: asBoolean(find('disable-indy-token-fetch'), false),
    reaper: { intervalMs: fractionMs('orphan-sweep-interval', 300), graceMs: fractionMs('orphan-grace', 600) },
  };
}
