// (h) the production topology (`npm run cluster`): 2 API + 2 worker replicas of the compiled dist/, Temporal on
// PostgreSQL, auth on. Full lifecycles with K in flight, creates alternating over the API replicas and complete
// sent to the other one; /create latency per API replica, and each replica process's RSS (sampled from /proc).
import { Client, Connection } from '@temporalio/client';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';
import { startCluster, type Cluster } from '../../tools/cluster/cluster';
import { environmentNames } from '../../workflows/names';
import { startBuildAgent } from '../support/fakes';
import { call, createBody, INVOKER_HEADERS, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import type { Receiver } from './environments';
import { pool, summarize, withTimeout, type Summary } from './stats';

const { ensureBuilt } = require('../../tools/build') as { ensureBuilt(): { built: boolean } };

export interface ClusterFigures {
  replicas: { api: number; workers: number };
  clusterStartMs: number;
  environments: number;
  concurrency: number;
  wallMs: number;
  environmentsPerSecond: number;
  lifecycleMs: Summary;
  /** POST /create per API replica (its URL). */
  createMsByApi: Record<string, Summary>;
  /** Each replica's RSS: before the measured environments, the maximum during them, after. */
  replicaRssMb: Record<string, { before: number; max: number; after: number }>;
}

function rssMb(pid: number | null): number {
  if (pid === null) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

interface Context {
  cluster: Cluster;
  kube: KubeClients;
  client: Client;
  receiver: Receiver;
  headers: Record<string, string>;
}

/** One environment's life; returns the API it was created on and the /create and total times. */
async function lifecycle(ctx: Context, i: number, key: string) {
  const apis = ctx.cluster.info.api;
  const [api, other] = [apis[i % apis.length], apis[(i + 1) % apis.length]];
  const started = performance.now();
  const created = await withTimeout(
    call(api, 'POST', '/create', createBody(ctx.receiver.url(key)), ctx.headers),
    30_000,
    'POST /create',
  );
  const createMs = performance.now() - started;
  if (created.status !== 200) throw new Error(`POST /create on ${api}: ${created.status} ${created.text}`);
  const id = created.json.environmentId as string;
  const { ip, port } = await serviceAddress(ctx.kube, id);
  const agent = await startBuildAgent(ip, port);
  try {
    await markPodRunning(ctx.kube, environmentNames('', id).podName);
    const callback = await ctx.receiver.wait(key, 60_000);
    if ((JSON.parse(callback.body) as { status: string }).status !== 'SUCCESS') throw new Error(callback.body);
    ctx.receiver.forget(key);
  } finally {
    await agent.stop();
  }
  const completed = await call(other, 'PUT', '/complete', { environmentId: id }, ctx.headers);
  if (completed.status !== 200) throw new Error(`PUT /complete on ${other}: ${completed.text}`);
  await withTimeout(ctx.client.workflow.getHandle(id).result(), 60_000, `${id} to finish`);
  return { api, createMs, totalMs: performance.now() - started };
}

export async function measureCluster(
  receiver: Receiver,
  settings: Record<string, string>,
  options: { warmup: number; total: number; concurrency: number },
): Promise<ClusterFigures> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'env-driver-bench-cluster-'));
  chmodSync(dataDir, 0o755);
  const started = performance.now();
  const cluster = await startCluster({ dataDir, env: { ...settings, LOG_LEVEL: 'warn' } });
  const clusterStartMs = Math.round(performance.now() - started);
  const connection = await Connection.connect({ address: cluster.info.temporal });
  try {
    const ctx: Context = {
      cluster,
      kube: createKubeClients({ kubeconfig: cluster.info.kubeconfig, namespace: cluster.info.namespace }),
      client: new Client({ connection }),
      receiver,
      headers: { ...INVOKER_HEADERS, authorization: `Bearer ${cluster.info.token}` },
    };
    await pool(options.warmup, options.concurrency, (i) => lifecycle(ctx, i, `cluster-warm-${i}`).then(() => {}));
    const replicas = [...cluster.apis, ...cluster.workers];
    const rss = Object.fromEntries(replicas.map((r) => [r.name, { before: rssMb(r.process.pid()), max: 0, after: 0 }]));
    const sample = () => replicas.forEach((r) => (rss[r.name].max = Math.max(rss[r.name].max, rssMb(r.process.pid()))));
    const sampler = setInterval(sample, 250);
    const results: Awaited<ReturnType<typeof lifecycle>>[] = [];
    const t0 = performance.now();
    try {
      await pool(options.total, options.concurrency, async (i) => {
        results.push(await lifecycle(ctx, i, `cluster-${i}`));
      });
    } finally {
      clearInterval(sampler);
    }
    const wallMs = performance.now() - t0;
    replicas.forEach((r) => (rss[r.name].after = rssMb(r.process.pid())));
    return {
      replicas: { api: cluster.apis.length, workers: cluster.workers.length },
      clusterStartMs,
      environments: options.total,
      concurrency: options.concurrency,
      wallMs: Math.round(wallMs),
      environmentsPerSecond: Math.round((options.total / (wallMs / 1000)) * 100) / 100,
      lifecycleMs: summarize(results.map((r) => r.totalMs)),
      createMsByApi: Object.fromEntries(
        cluster.info.api.map((api) => [api, summarize(results.filter((r) => r.api === api).map((r) => r.createMs))]),
      ),
      replicaRssMb: rss,
    };
  } finally {
    await connection.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
