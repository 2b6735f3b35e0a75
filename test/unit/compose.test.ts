// docker-compose.yml and the Containerfile cannot run here (no Docker daemon, no registry for base images): check
// that they agree with the code and with deploy/ (the Kubernetes/OpenShift manifests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIFROST_ENVIRONMENT_VARIABLES, CONFIG_ENVIRONMENT_VARIABLES } from '../../src/config';
import { TRACING_ENVIRONMENT_VARIABLES } from '../../src/telemetry/tracing-settings';
import { containerOf, DEPLOYMENTS, named, renderOverlay, variablesOf, type Manifest } from '../support/manifests';

type Env = Record<string, string | number | boolean | null>;
interface Service {
  image?: string;
  build?: unknown;
  environment?: Env | string[];
  ports?: string[];
  volumes?: string[];
  command?: string | string[];
  healthcheck?: { test?: string | string[] };
  stop_grace_period?: string;
}

const root = join(__dirname, '..', '..');
// Compose honours YAML merge keys (`<<: *anchor`); so must we.
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const containerfile = readFileSync(join(root, 'Containerfile'), 'utf8');

const SERVICES = {
  postgresql: 'postgresql',
  temporal: 'temporal',
  searchAttributes: 'temporal-search-attributes',
  ui: 'temporal-ui',
  api: 'environment-driver-api',
  worker: 'environment-driver-worker',
} as const;
const service = (name: string): Service => compose.services[name];

function envOf(name: string): Env {
  const env = service(name).environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** "8080:8080" or "127.0.0.1:8080:8080/tcp" → container port. */
const containerPort = (mapping: string): number => Number(mapping.split('/')[0].split(':').pop());
const hostPort = (mapping: string): number => Number(mapping.split('/')[0].split(':').slice(-2)[0]);

/** The Containerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): string[] {
  return containerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The instructions of one stage (by its `AS` name), or of the last one (the image that runs). */
function stage(name?: string): string[] {
  const lines = instructions();
  const froms = lines.flatMap((l, i) => (/^FROM\s/i.test(l) ? [i] : []));
  const start = name === undefined ? froms[froms.length - 1] : froms.find((i) => lines[i].endsWith(` AS ${name}`));
  if (start === undefined) throw new Error(`no stage ${name} in the Containerfile`);
  const end = froms.find((i) => i > start) ?? lines.length;
  return lines.slice(start, end);
}
const finalStage = () => stage();
const instruction = (name: string): string[] =>
  finalStage()
    .filter((l) => new RegExp(`^${name}\\s`, 'i').test(l))
    .map((l) => l.replace(/^\S+\s+/, ''));

describe('docker-compose.yml', () => {
  it('has the database, Temporal, its Web UI and both roles of the driver', () => {
    for (const name of Object.values(SERVICES)) expect(compose.services).toHaveProperty([name]);
    expect(service(SERVICES.postgresql).image).toMatch(/^postgres:16/);
    expect(service(SERVICES.temporal).image).toMatch(/^temporalio\/auto-setup:/);
    expect(service(SERVICES.ui).image).toMatch(/^temporalio\/ui:/);
    expect(envOf(SERVICES.temporal)).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: SERVICES.postgresql });
    expect(service(SERVICES.api).build).toBeDefined();
    expect(service(SERVICES.worker).build).toBeDefined();
  });

  it('sets only variables the service reads', () => {
    const known = new Set<string>([
      ...CONFIG_ENVIRONMENT_VARIABLES,
      ...BIFROST_ENVIRONMENT_VARIABLES,
      ...TRACING_ENVIRONMENT_VARIABLES,
    ]);
    for (const name of [SERVICES.api, SERVICES.worker]) {
      const unknown = Object.keys(envOf(name)).filter(
        (key) => !known.has(key) && !/^ENVIRONMENT_DRIVER_[A-Z0-9_]+$/.test(key),
      );
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('runs one role per service', () => {
    expect(envOf(SERVICES.api).DRIVER_ROLE).toBe('api');
    expect(envOf(SERVICES.worker).DRIVER_ROLE).toBe('worker');
    // The worker is the one that talks to Kubernetes: a read-only kubeconfig where KUBECONFIG says.
    expect(envOf(SERVICES.worker).KUBECONFIG).toBe('/kube/config');
    expect(service(SERVICES.worker).volumes).toContainEqual(expect.stringMatching(/:\/kube:ro$/));
  });

  it('points both roles (and the Web UI) at the Temporal service and the port it exposes', () => {
    const ports = (service(SERVICES.temporal).ports ?? []).map(containerPort);
    expect(ports.length).toBeGreaterThan(0);
    for (const name of [SERVICES.api, SERVICES.worker, SERVICES.ui, SERVICES.searchAttributes]) {
      const [host, port] = String(envOf(name).TEMPORAL_ADDRESS).split(':');
      expect(host).toBe(SERVICES.temporal);
      expect(ports).toContain(Number(port));
    }
    expect(envOf(SERVICES.api).TEMPORAL_TASK_QUEUE).toBe(envOf(SERVICES.worker).TEMPORAL_TASK_QUEUE);
    expect(envOf(SERVICES.api).TEMPORAL_NAMESPACE).toBe(envOf(SERVICES.worker).TEMPORAL_NAMESPACE);
  });

  it('registers exactly the search attributes the workflows use, as Keyword', () => {
    const command = [service(SERVICES.searchAttributes).command ?? []].flat().join(' ');
    const create = command.split(/\r?\n/).find((line) => line.includes('search-attribute create')) ?? '';
    const names = [...create.matchAll(/--name[ =](\w+)/g)].map((m) => m[1]);
    const types = [...create.matchAll(/--type[ =](\w+)/g)].map((m) => m[1]);
    expect(names.sort()).toEqual(['EnvironmentImage', 'EnvironmentLabel', 'EnvironmentPhase']);
    expect(types).toEqual(['Keyword', 'Keyword', 'Keyword']);
  });

  it('holds no literal secrets', () => {
    for (const name of Object.keys(compose.services)) {
      for (const [key, value] of Object.entries(envOf(name))) {
        if (value === null) continue; // passed through from the caller's environment
        if (/^(CALLBACK_AUTHORIZATION|TEMPORAL_API_KEY|PAYLOAD_CODEC_KEY)$|TOKEN|SECRET/.test(key)) {
          // From the environment, and no default value baked in.
          expect({ service: name, key, value }).toEqual({
            service: name,
            key,
            value: expect.stringMatching(/^\$\{[A-Z0-9_]+(:?-)?\}$/),
          });
        } else if (/PASSWORD|PWD/.test(key)) {
          expect({ service: name, key, value }).toEqual({
            service: name,
            key,
            value: expect.stringMatching(/^\$\{[A-Z0-9_]+/),
          });
        }
      }
    }
    expect(envOf(SERVICES.worker)).toHaveProperty('CALLBACK_AUTHORIZATION');
  });

  it('checks the API health on /q/health/ready', () => {
    const test = [service(SERVICES.api).healthcheck?.test ?? []].flat().join(' ');
    expect(test).toContain('/q/health/ready');
  });
});

describe('Containerfile', () => {
  it('runs the compiled entry point as a non-root user', () => {
    const cmd = instruction('CMD').pop() ?? '';
    const argv: string[] = cmd.startsWith('[') ? JSON.parse(cmd) : cmd.split(/\s+/);
    expect(argv).toEqual(['node', 'dist/src/main.js']);
    const user = instruction('USER').pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('exposes the port the API is mapped on', () => {
    const exposed = instruction('EXPOSE')
      .flatMap((l) => l.split(/\s+/))
      .map((p) => Number(p.split('/')[0]));
    const api = service(SERVICES.api).ports ?? [];
    expect(api.length).toBeGreaterThan(0);
    for (const mapping of api) expect(exposed).toContain(containerPort(mapping));
    expect(api.map(hostPort)).toContain(8080);
    const port = envOf(SERVICES.api).PORT;
    if (port !== undefined && port !== null) expect(exposed).toContain(Number(port));
  });
});

describe('docker-compose.yml beside deploy/', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderOverlay('openshift'); // may build kustomize first (~30 s)
  }, 600_000);
  const deployment = (role: keyof typeof DEPLOYMENTS) => named(manifests, 'Deployment', DEPLOYMENTS[role]);
  const composeNames = (name: string) => Object.keys(envOf(name));
  const manifestNames = (role: keyof typeof DEPLOYMENTS) => [...variablesOf(manifests, deployment(role)).keys()];

  it('uses the same variable names (compose alone mounts a kubeconfig: the cluster has an in-cluster account)', () => {
    const compose = new Set([...composeNames(SERVICES.api), ...composeNames(SERVICES.worker)]);
    compose.delete('KUBECONFIG');
    const cluster = new Set([...manifestNames('api'), ...manifestNames('worker')]);
    expect([...compose].sort()).toEqual([...cluster].sort());
    // The callback credential is the worker's alone, in both.
    expect(composeNames(SERVICES.api)).not.toContain('CALLBACK_AUTHORIZATION');
    expect(manifestNames('api')).not.toContain('CALLBACK_AUTHORIZATION');
    expect(composeNames(SERVICES.worker)).toContain('CALLBACK_AUTHORIZATION');
    expect(manifestNames('worker')).toContain('CALLBACK_AUTHORIZATION');
  });

  it('reads the same environment-driver YAML at the same path, and stops within the same grace', () => {
    const configPath = variablesOf(manifests, deployment('api')).get('ENVIRONMENT_DRIVER_CONFIG')?.value;
    for (const name of [SERVICES.api, SERVICES.worker]) {
      expect(envOf(name).ENVIRONMENT_DRIVER_CONFIG).toBe(configPath);
      expect(service(name).volumes).toContain(`./deploy/base/application.yaml:${configPath}:ro`);
      expect(service(name).stop_grace_period).toBe(
        `${deployment('api').spec.template.spec.terminationGracePeriodSeconds}s`,
      );
    }
    expect(containerOf(deployment('api')).command).toEqual(JSON.parse(instruction('CMD').pop()!));
  });

  it('points the Web UI at the API’s codec endpoint, which lets the UI’s origin in', () => {
    const uiPort = hostPort(service(SERVICES.ui).ports![0]);
    const apiPort = hostPort(service(SERVICES.api).ports![0]);
    expect(envOf(SERVICES.ui).TEMPORAL_CODEC_ENDPOINT).toMatch(
      new RegExp(`^\\$\\{TEMPORAL_CODEC_ENDPOINT:-http://localhost:${apiPort}/codec\\}$`),
    );
    expect(String(envOf(SERVICES.api).CORS_ORIGINS)).toContain(`http://localhost:${uiPort}`);
  });

  it('builds from the Containerfile: Node 24 LTS, production dependencies only, dist only', () => {
    expect(service(SERVICES.api).build).toMatchObject({ dockerfile: 'Containerfile' });
    expect(instructions().find((l) => l.startsWith('ARG NODE_IMAGE='))).toMatch(/node:24[-.]/);
    const runtime = finalStage().filter((l) => /^COPY\s/i.test(l));
    expect(runtime.every((l) => l.startsWith('COPY --from='))).toBe(true); // nothing from the build context
    const from = (path: string) => runtime.find((l) => l.endsWith(` ./${path}`))?.match(/--from=(\S+)/)?.[1];
    expect(from('dist')).toBe('build');
    const dependencies = stage(from('node_modules')).join('\n');
    expect(dependencies).toMatch(/npm (install|ci) --omit=dev/);
    expect(dependencies).not.toMatch(/COPY \. /);
    // A numeric uid: the kubelet can only check runAsNonRoot against a number.
    expect(instruction('USER').pop()).toMatch(/^[1-9]\d*(:\d+)?$/);
  });
});
