// The configuration loader: contract defaults, the Java driver's YAML keys, environment overrides, validation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileEnvironmentTemplates } from '../../activities/templates';
import { DEFAULT_POD_TEMPLATE, DEFAULT_ROUTE_TEMPLATE } from '../../src/config/default-templates';
import {
  CONFIG_ENVIRONMENT_VARIABLES,
  ConfigError,
  DRIVER_KEY_ENVIRONMENT_VARIABLES,
  loadConfig,
} from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'driver-config-'));
function yamlFile(text: string): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

// The Java driver's own configuration style: nested sections, a top-level http-client, a %test profile.
const JAVA_YAML = `
quarkus:
  shutdown:
    timeout: 300
http-client:
  connect-timeout: 2
  request-timeout: 9
environment-driver:
  self-base-url: http://environment-driver:8080/
  working-directory: /var/work
  builder-pod-memory: 6
  proxy-server: http-proxy-host
  proxy-port: 3128
  pod-running-wait-for: 300
  callback-retry-delay-msec: 250
  build-agent:
    ping-path: PingHandler
    running-wait-for: 3
    host: builds.example.com
  openshift:
    ssh-service-port-name: ssh
    pod: |
      kind: Pod
      metadata:
        name: "%{pod-name}"
"%test":
  environment-driver:
    pod-running-wait-for: 1
`;

describe('loadConfig defaults', () => {
  const config = loadConfig({});

  it('match the contract (§3.4, §7) in milliseconds', () => {
    // Locally the cancel URI points at this process; deployments keep the Java default.
    expect(config.http.selfBaseUrl).toBe('http://localhost:8080/');
    expect(loadConfig({ TEMPORAL_ADDRESS: 't:7233', AUTH_ENABLED: 'false' }).http.selfBaseUrl).toBe(
      'http://localhost:8081/',
    );
    expect(config.settings).toEqual({
      podRunning: { durationMs: 600_000, delayMs: 1000, maxDelayMs: 5000 },
      serviceRunning: { durationMs: 60_000, delayMs: 500, maxDelayMs: 5000 },
      agentPing: { durationMs: 30_000, delayMs: 500, maxDelayMs: 2000 },
      callback: { durationMs: 300_000, delayMs: 500, maxDelayMs: 5000 },
      destroy: { durationMs: 3_600_000, delayMs: 1000, maxDelayMs: 10_000 },
      sshPing: { durationMs: 15_000, delayMs: 500, maxDelayMs: 2000 },
      httpConnectTimeoutMs: 5000,
      httpRequestTimeoutMs: 15_000,
      agentServiceScheme: 'http',
      agentPingPath: '/',
      agentHost: 'localhost',
      workingDirectory: '/tmp',
      sshServicePortName: '2222-ssh',
      lifetimeMs: 86_400_000,
      failedGraceMs: 600_000,
      debugLeaseMs: 3_600_000,
      heartbeatTimeoutMs: 30_000,
    });
    expect(config.templateDefaults).toEqual({
      firewallAllowedDestinations: '127.0.0.1',
      allowedHttpOutgoingDestinations: null,
      proxyServer: null,
      proxyPort: null,
      nonProxyHosts: 'localhost',
      containerPort: '8080',
      builderPodMemoryGiB: 4,
    });
    expect(config.templates.pod).toBe(DEFAULT_POD_TEMPLATE);
    expect(config.templates.route).toBe(DEFAULT_ROUTE_TEMPLATE);
  });

  it('run locally without Temporal address: embedded server, loopback, auth off', () => {
    expect(config).toMatchObject({
      role: 'all',
      localMode: true,
      logLevel: 'info',
      logFormat: 'auto',
      http: { host: '127.0.0.1', port: 8080, shutdownGraceMs: 0 },
      auth: { enabled: false, roles: ['pnc-app-environment-driver-user', 'pnc-users-admin'] },
      temporal: {
        address: null,
        namespace: 'default',
        taskQueue: 'environment-driver',
        apiKey: null,
        tls: null,
        uiPort: 8233,
        devServerPort: 7233,
        dataDir: resolve('.data'),
      },
      kubernetes: { kubeconfig: null, namespace: null },
      serviceIdentity: { type: 'none' },
    });
    // Run from source in this git checkout: HEAD, and the start time for the build time (see build-info.test.ts).
    expect(config.version).toEqual({
      name: 'environment-driver',
      version: require('../../package.json').version,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      builtOn: expect.stringMatching(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('turn auth on and listen everywhere once a Temporal address is set', () => {
    const deployed = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      OIDC_ISSUER: 'https://sso.example.com/realms/pnc',
    });
    expect(deployed).toMatchObject({ localMode: false, http: { host: '0.0.0.0' }, auth: { enabled: true } });
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' })).toThrow(/OIDC_ISSUER/);
    // A worker serves no API, so it needs no issuer.
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', DRIVER_ROLE: 'worker' }).role).toBe('worker');
  });
});

describe('loadConfig with the Java driver YAML', () => {
  const config = loadConfig({}, { file: yamlFile(JAVA_YAML) });

  it('honours the Java key names, nested or at the top level', () => {
    expect(config.http.selfBaseUrl).toBe('http://environment-driver:8080/');
    expect(config.settings).toMatchObject({
      workingDirectory: '/var/work',
      podRunning: { durationMs: 300_000, delayMs: 1000, maxDelayMs: 5000 },
      callback: { durationMs: 300_000, delayMs: 250, maxDelayMs: 5000 },
      agentPing: { durationMs: 3000 },
      agentPingPath: 'PingHandler',
      agentHost: 'builds.example.com',
      sshServicePortName: 'ssh',
      httpConnectTimeoutMs: 2000,
      httpRequestTimeoutMs: 9000,
    });
    expect(config.templateDefaults).toMatchObject({
      proxyServer: 'http-proxy-host',
      proxyPort: '3128',
      builderPodMemoryGiB: 6,
    });
    expect(config.templates.pod).toBe('kind: Pod\nmetadata:\n  name: "%{pod-name}"\n');
    expect(config.templates.service).toContain('kind: Service');
  });

  it('is found through ENVIRONMENT_DRIVER_CONFIG', () => {
    const fromEnv = loadConfig({ ENVIRONMENT_DRIVER_CONFIG: yamlFile(JAVA_YAML) });
    expect(fromEnv.settings.agentPingPath).toBe('PingHandler');
  });

  it('accepts dotted keys as Quarkus does', () => {
    const dotted = loadConfig({}, { file: yamlFile('environment-driver.build-agent.container-port: 9090\n') });
    expect(dotted.templateDefaults.containerPort).toBe('9090');
  });

  it('loses to environment variables named the Quarkus way', () => {
    const env = {
      ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '42',
      ENVIRONMENT_DRIVER_BUILD_AGENT_PING_PATH: '/health',
      ENVIRONMENT_DRIVER_HTTP_CLIENT_CONNECT_TIMEOUT: '1',
      ENVIRONMENT_DRIVER_OPENSHIFT_POD: 'kind: Pod\n',
      ENVIRONMENT_DRIVER_PROXY_PORT: '', // blank counts as unset
      SELF_BASE_URL: 'https://driver.example.com/',
    };
    const overridden = loadConfig(env, { file: yamlFile(JAVA_YAML) });
    expect(overridden.settings.podRunning.durationMs).toBe(42_000);
    expect(overridden.settings.agentPingPath).toBe('/health');
    expect(overridden.settings.httpConnectTimeoutMs).toBe(1000);
    expect(overridden.templateDefaults.proxyPort).toBe('3128');
    expect(overridden.http.selfBaseUrl).toBe('https://driver.example.com/');
    expect(overridden.templates.pod).toBe('kind: Pod\n');
  });
});

describe('loadConfig validation', () => {
  const configError = (env: NodeJS.ProcessEnv, file?: string): ConfigError => {
    try {
      loadConfig(env, { file });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    ['ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR', 'ten', 'environment-driver.pod-running-wait-for'],
    ['ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR', '-1', 'environment-driver.pod-running-wait-for'],
    ['ENVIRONMENT_DRIVER_BUILDER_POD_MEMORY', '2.5', 'environment-driver.builder-pod-memory'],
    ['ENVIRONMENT_DRIVER_BUILD_AGENT_CONTAINER_PORT', '70000', 'environment-driver.build-agent.container-port'],
    ['ENVIRONMENT_DRIVER_DEBUG_LEASE', 'Infinity', 'environment-driver.debug-lease'],
    ['ENVIRONMENT_DRIVER_DESTROY_RETRY_DELAY_MSEC', '20000', 'environment-driver.destroy-retry-delay-msec'],
    ['ENVIRONMENT_DRIVER_SELF_BASE_URL', 'not a url', 'environment-driver.self-base-url'],
    ['PORT', '80.5', 'PORT'],
    ['DRIVER_ROLE', 'both', 'DRIVER_ROLE'],
    ['DRIVER_LOCAL_MODE', 'yes', 'DRIVER_LOCAL_MODE'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL'],
    ['LOG_FORMAT', 'text', 'LOG_FORMAT'],
    ['SHUTDOWN_GRACE_SECONDS', 'soon', 'SHUTDOWN_GRACE_SECONDS'],
    ['TEMPORAL_TLS_CLIENT_CERT_PATH', '/tls/client.pem', 'TEMPORAL_TLS_CLIENT_KEY_PATH'],
  ])('%s=%j is a ConfigError naming %s', (name, value, key) => {
    expect(configError({ [name]: value }).message).toContain(key);
  });

  it('names the key of a bad file value', () => {
    const file = yamlFile('environment-driver:\n  callback-retry-duration: soon\n  openshift:\n    route: ""\n');
    expect(configError({}, file).message).toContain('environment-driver.callback-retry-duration');
    const template = yamlFile('environment-driver:\n  openshift:\n    route: ""\n');
    expect(configError({}, template).message).toContain('environment-driver.openshift.route');
  });

  /** What start-up says of a configuration whose templates do not compile (src/main.ts compiles them first). */
  const startupError = (env: NodeJS.ProcessEnv, file?: string): Error => {
    const config = loadConfig(env, { file });
    try {
      compileEnvironmentTemplates(config.templates, config.templateOrigins);
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected the templates to be refused');
  };

  it('refuses a template that does not compile at start, naming its key, where it came from, and the line', () => {
    const fromEnv = startupError({ ENVIRONMENT_DRIVER_OPENSHIFT_POD: 'kind: Pod\nspec:\n  a: &x 1\n  b: *x\n' });
    expect(fromEnv.message).toBe(
      'Invalid configuration environment-driver.openshift.pod (from ENVIRONMENT_DRIVER_OPENSHIFT_POD): ' +
        'line 3: YAML anchors (&x) are not allowed in templates',
    );
    const file = yamlFile(
      'environment-driver:\n  openshift:\n    ssh-service: |\n      kind: Service\n      metadata:\n        name: "%{ssh-service-name"\n',
    );
    expect(startupError({}, file).message).toBe(
      "Invalid configuration environment-driver.openshift.ssh-service: line 3: unclosed placeholder: '%{' without '}' on the same line",
    );
    expect(startupError({ ENVIRONMENT_DRIVER_OPENSHIFT_ROUTE: 'kind: Pod' }).message).toContain(
      "environment-driver.openshift.route (from ENVIRONMENT_DRIVER_OPENSHIFT_ROUTE): line 1: The Route template renders kind 'Pod'",
    );
  });

  it('reports an unreadable or invalid file', () => {
    expect(configError({}, join(dir, 'missing.yaml')).message).toContain('ENVIRONMENT_DRIVER_CONFIG');
    expect(configError({}, yamlFile('environment-driver: [unclosed\n')).message).toContain('not valid YAML');
  });

  it('takes fractional seconds for our own keys and whole numbers for the Java ones', () => {
    const config = loadConfig({ ENVIRONMENT_DRIVER_FAILED_ENVIRONMENT_GRACE: '0.25', SHUTDOWN_GRACE_SECONDS: '1.5' });
    expect(config.settings.failedGraceMs).toBe(250);
    expect(config.http.shutdownGraceMs).toBe(1500);
  });
});

describe('environment variables', () => {
  it('are all listed, and the driver keys follow the Quarkus naming', () => {
    expect(CONFIG_ENVIRONMENT_VARIABLES).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'CALLBACK_AUTHORIZATION', 'DATA_DIR']),
    );
    expect(DRIVER_KEY_ENVIRONMENT_VARIABLES).toEqual(
      expect.arrayContaining(['ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR', 'ENVIRONMENT_DRIVER_OPENSHIFT_SSH_SERVICE']),
    );
  });

  it('configure Temporal, Kubernetes, auth roles and the version', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      AUTH_ENABLED: 'false',
      AUTH_ROLES: ' admin , user ,',
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/tls/client.pem',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/tls/client.key',
      KUBE_NAMESPACE: 'builds',
      CALLBACK_AUTHORIZATION: 'Bearer 1234',
      BUILD_COMMIT: 'c536d2f',
      BUILD_TIME: 'unknown',
    });
    expect(config.auth).toMatchObject({ enabled: false, roles: ['admin', 'user'] });
    expect(config.temporal.tls).toEqual({
      clientCertPath: '/tls/client.pem',
      clientKeyPath: '/tls/client.key',
      serverCaCertPath: null,
    });
    expect(config.kubernetes.namespace).toBe('builds');
    expect(config.serviceIdentity).toEqual({ type: 'static', authorization: 'Bearer 1234' });
    // BUILD_TIME's `unknown` placeholder is no time: the recorded one stays, never the epoch.
    expect(config.version.commit).toBe('c536d2f');
    expect(config.version.builtOn).not.toMatch(/^1970/);
    expect(loadConfig({ BUILD_TIME: '2026-11-30T10:00:00Z' }).version.builtOn).toBe('2026-11-30T10:00:00Z');
  });
});
