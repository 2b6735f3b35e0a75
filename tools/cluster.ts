// `npm run cluster`: the production topology on this machine (tools/cluster/cluster.ts) from the compiled dist/
// (built first when stale). Prints where everything is, writes <DATA_DIR>/cluster.json, and on Ctrl-C or SIGTERM
// stops the replicas, then Temporal, PostgreSQL and Kubernetes. The data under <DATA_DIR>/cluster stays.
import { resolve } from 'node:path';
import { startCluster } from './cluster/cluster';

const { ensureBuilt } = require('./build') as { ensureBuilt(): { built: boolean; reason?: string } };

function say(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const built = ensureBuilt();
  if (built.built) say(`dist/ built (${built.reason})`);
  const dataDir = resolve(process.env.DATA_DIR || '.data');
  const count = (name: string) => Number(process.env[name] || 2);
  const port = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const cluster = await startCluster({
    dataDir,
    apiReplicas: count('CLUSTER_API_REPLICAS'),
    workerReplicas: count('CLUSTER_WORKER_REPLICAS'),
    temporalPort: port('CLUSTER_TEMPORAL_PORT'),
    ui: process.env.CLUSTER_UI !== 'false',
    uiPort: port('CLUSTER_UI_PORT'),
    log: say,
    supervision: {
      log: {
        info: (_fields, message) => say(message),
        warn: (_fields, message) => say(message),
        error: (_fields, message) => say(message),
      },
    },
  });
  const { info } = cluster;
  say(`up in ${Math.round((Date.now() - started) / 1000)} s`);
  say(`API:        ${info.api.join('  ')}`);
  say(`workers:    ${info.workers.map((w) => w.metricsUrl).join('  ')}`);
  say(`Temporal:   ${info.temporal} (namespace default)${info.ui ? `, Web UI ${info.ui}` : ''}`);
  say(`Kubernetes: KUBECONFIG=${info.kubeconfig} namespace ${info.namespace}`);
  say(`details and the bearer token: ${cluster.file}; logs in ${dataDir}/cluster/logs. Ctrl-C stops.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the replicas, Temporal, PostgreSQL and Kubernetes …`);
    void cluster.stop().then(() => {
      say('stopped; the data stays in ' + dataDir);
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
}

main().catch((error: Error) => {
  process.stderr.write(`[cluster] ${error.stack ?? error.message}\n`);
  process.exit(1);
});
