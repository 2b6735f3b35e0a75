// The production topology on one machine: PostgreSQL, the Temporal server on it, a kube-apiserver, an OIDC
// issuer, and N API + M worker replicas of the compiled driver. Everything below <dataDir>/cluster outlives a
// stop (databases, etcd); <dataDir>/cluster.json names what runs while it runs.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/local/binaries';
import { call, startControlPlane, type ControlPlane } from '../../src/local/control-plane';
import { freePort } from '../../src/local/processes';
import type { SupervisionOptions } from '../../src/local/supervisor';
import { ensurePostgres } from '../postgres';
import { ensureTemporalServer } from '../temporal-server';
import { CLUSTER_AUDIENCE, startClusterIssuer, type ClusterIssuer } from './oidc-issuer';
import { startPostgres, type PostgresServer } from './postgres-server';
import { startReplica, type Replica } from './replicas';
import { setupTemporalSchemas } from './temporal-schema';
import { startTemporalServer, type TemporalServer } from './temporal-server-process';
import { startTemporalUi } from './temporal-ui-process';
import { ensureTemporalUi } from '../temporal-ui';

export interface ClusterInfo {
  api: string[];
  workers: { pid: number | null; metricsUrl: string }[];
  temporal: string;
  kubeconfig: string;
  namespace: string;
  token: string;
  /** The Temporal Web UI, when started. */
  ui?: string;
}

export interface ClusterOptions {
  dataDir: string;
  apiReplicas?: number;
  workerReplicas?: number;
  /** Temporal frontend port (default: a free one). */
  temporalPort?: number;
  /** Kubernetes namespace of the environments. */
  namespace?: string;
  /** Start the Temporal Web UI too (on `uiPort`, default a free port). */
  ui?: boolean;
  uiPort?: number;
  /** Driver settings for every replica (e.g. shorter timeouts in tests). */
  env?: Record<string, string>;
  supervision?: SupervisionOptions;
  log?: (line: string) => void;
}

export interface Cluster {
  info: ClusterInfo;
  file: string;
  postgres: PostgresServer;
  temporal: TemporalServer;
  controlPlane: ControlPlane;
  apis: Replica[];
  workers: Replica[];
  /** Replicas first (they drain), then Temporal, PostgreSQL, Kubernetes; the data stays. */
  stop(): Promise<void>;
}

async function ensureNamespace(controlPlane: ControlPlane, name: string): Promise<void> {
  const created = await call(controlPlane.server, controlPlane.adminToken, 'POST', '/api/v1/namespaces', {
    metadata: { name },
  });
  if (created.status !== 201 && created.status !== 409) throw new Error(`namespace ${name}: ${created.body}`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const dir = join(options.dataDir, 'cluster');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data directory
  const namespace = options.namespace ?? 'environment-driver';
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  const file = join(options.dataDir, 'cluster.json');
  let writeInfo: (() => void) | null = null;
  try {
    const [pgBin, temporalBin, kubeBin] = [ensurePostgres(), await ensureTemporalServer(), await ensureBinaries()];
    // A replica restarted by its supervisor has a new pid: cluster.json follows.
    const supervision: SupervisionOptions = {
      ...options.supervision,
      onChange: () => {
        options.supervision?.onChange?.();
        writeInfo?.();
      },
    };
    const controlPlane = await startControlPlane(kubeBin, join(dir, 'kube'), { supervision });
    stops.push(() => controlPlane.stop());
    await ensureNamespace(controlPlane, namespace);
    log(`kube-apiserver ${controlPlane.server}`);
    const postgres = await startPostgres(pgBin, { dir: join(dir, 'postgres'), supervision });
    stops.push(() => postgres.stop());
    log(`PostgreSQL 127.0.0.1:${postgres.port}`);
    await setupTemporalSchemas(temporalBin, postgres.port);
    const temporal = await startTemporalServer(temporalBin, {
      dir: join(dir, 'temporal'),
      postgresPort: postgres.port,
      port: options.temporalPort,
      supervision,
    });
    stops.push(() => temporal.stop());
    log(`Temporal server ${temporal.address}`);
    let uiUrl: string | undefined;
    if (options.ui) {
      const ui = await startTemporalUi(await ensureTemporalUi(), {
        dir: join(dir, 'temporal-ui'),
        temporalAddress: temporal.address,
        namespace: temporal.namespace,
        port: options.uiPort ?? (await freePort()),
        supervision,
      });
      stops.push(() => ui.server.stop());
      uiUrl = ui.url;
      log(`Temporal Web UI ${ui.url}`);
    }
    const issuer: ClusterIssuer = await startClusterIssuer();
    stops.push(() => issuer.stop());

    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      KUBECONFIG: controlPlane.kubeconfig,
      KUBE_NAMESPACE: namespace,
      AUTH_ENABLED: 'true',
      OIDC_ISSUER: issuer.issuer,
      OIDC_AUDIENCE: CLUSTER_AUDIENCE,
      // In-flight requests finish before the supervisor's SIGKILL (5 s after its SIGTERM).
      SHUTDOWN_GRACE_SECONDS: '3',
      ...options.env,
    };
    const replicas = async (role: 'api' | 'worker', count: number): Promise<Replica[]> => {
      const started = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const port = await freePort();
          const logDir = join(dir, 'logs');
          const replica = await startReplica({ name: `${role}-${i + 1}`, role, port, logDir, env, supervision });
          stops.push(() => replica.process.stop());
          return replica;
        }),
      );
      log(`${count} ${role} replica(s): ${started.map((r) => r.url).join(' ')}`);
      return started;
    };
    // Workers first: an API replica is ready without them, but nothing would run what it starts.
    const workers = await replicas('worker', options.workerReplicas ?? 2);
    const apis = await replicas('api', options.apiReplicas ?? 2);

    const info = (): ClusterInfo => ({
      api: apis.map((api) => api.url),
      workers: workers.map((w) => ({ pid: w.process.pid(), metricsUrl: `${w.url}/metrics` })),
      temporal: temporal.address,
      kubeconfig: controlPlane.kubeconfig,
      namespace,
      token: issuer.token,
      ...(uiUrl ? { ui: uiUrl } : {}),
    });
    writeInfo = () => {
      writeFileSync(`${file}.tmp`, JSON.stringify(info(), null, 2), { mode: 0o600 }); // holds a bearer token
      renameSync(`${file}.tmp`, file);
    };
    writeInfo();
    return {
      info: info(),
      file,
      postgres,
      temporal,
      controlPlane,
      apis,
      workers,
      async stop() {
        writeInfo = null;
        rmSync(file, { force: true });
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
