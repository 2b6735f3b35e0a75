// The Temporal server's static config (one process, all four services, loopback ports) and dynamic config, for
// PostgreSQL persistence and SQL visibility. Rewritten at every start: ports may change, the database does not.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** One membership (ringpop) port per service. */
  membership: [number, number, number, number];
  metrics: number;
}

/** Fixed once the database exists: Temporal refuses to start with another shard count. */
export const HISTORY_SHARDS = 4;

function datastore(database: string, postgresPort: number, maxConns: number): object {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${postgresPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

const dynamicConfig = {
  // Our search attributes are registered at startup; without this the frontend sees them only after its cache
  // refreshes (the dev server sets it too).
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  'frontend.maxNamespaceVisibilityRPSPerInstance': [{ value: 100 }],
  // As the dev server: a workflow→activity hand-off is not held back by the transfer queue's poll rate.
  'history.transferProcessorMaxPollRPS': [{ value: 1000 }],
};

/** Writes <dir>/config/cluster.yaml and <dir>/config/dynamic.yaml; start with `--root <dir> --env cluster`. */
export function writeTemporalConfig(dir: string, postgresPort: number, ports: TemporalPorts): void {
  const configDir = join(dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const [frontendRing, historyRing, matchingRing, workerRing] = ports.membership;
  const service = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore('temporal', postgresPort, 20),
        'postgres-visibility': datastore('temporal_visibility', postgresPort, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` },
      },
    },
    services: {
      frontend: service(ports.frontend, frontendRing, { httpPort: ports.frontendHttp }),
      history: service(ports.history, historyRing),
      matching: service(ports.matching, matchingRing),
      worker: service(ports.worker, workerRing),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(configDir, 'dynamic.yaml'), pollInterval: '10s' },
  };
  writeFileSync(join(configDir, 'cluster.yaml'), stringify(config));
  writeFileSync(join(configDir, 'dynamic.yaml'), stringify(dynamicConfig));
}
