// `npm run cluster` itself (tools/cluster.ts) as a person runs it: it writes cluster.json, its API answers with the
// token it wrote, its Web UI serves; SIGINT (Ctrl-C) stops every process it started and it exits 0; started again
// on the same DATA_DIR, the environment made before the stop is still there and completes.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClients } from '../../activities/k8s/client';
import type { ClusterInfo } from '../../tools/cluster/cluster';
import { TEST_SETTINGS } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, INVOKER_HEADERS, remainingObjects, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import { environmentNames } from '../../workflows/names';

const ROOT = join(__dirname, '..', '..');

/** Processes whose command line names `dir` (postgres, temporal-server, etcd, … all take paths under it). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function runCluster(dataDir: string) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/cluster.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...TEST_SETTINGS,
      DATA_DIR: dataDir,
      CLUSTER_API_REPLICAS: '1',
      CLUSTER_WORKER_REPLICAS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal!)),
  );
  const file = join(dataDir, 'cluster.json');
  return {
    output: () => output,
    exited,
    async info(): Promise<ClusterInfo> {
      await eventually('cluster.json', async () => output.includes('Ctrl-C stops') && existsSync(file), 300_000);
      return JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo;
    },
    async interrupt(): Promise<number | string> {
      child.kill('SIGINT');
      return exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

describe('npm run cluster', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'env-driver-cluster-script-'));
  chmodSync(dataDir, 0o755);
  let running: ReturnType<typeof runCluster> | undefined;
  afterAll(async () => {
    running?.kill();
    await running?.exited;
    for (const pid of processesUnder(dataDir)) process.kill(pid, 'SIGKILL'); // only after a failure
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs, stops on Ctrl-C leaving nothing behind, and keeps its data for the next start', async () => {
    const receiver = await startCallbackReceiver();
    running = runCluster(dataDir);
    let info = await running.info().catch((error: Error) => {
      throw new Error(`${error.message}\n${running!.output()}`);
    });
    expect(info.api).toHaveLength(1);
    expect(info.workers).toEqual([{ pid: expect.any(Number), metricsUrl: expect.stringMatching(/\/metrics$/) }]);
    expect((await fetch(info.ui!)).status).toBe(200);
    const headers = () => ({ ...INVOKER_HEADERS, authorization: `Bearer ${info.token}` });
    expect((await call(info.api[0], 'POST', '/create', createBody(receiver.url()))).status).toBe(401);

    const created = await call(info.api[0], 'POST', '/create', createBody(receiver.url()), headers());
    expect(created.status).toBe(200);
    const environmentId: string = created.json.environmentId;
    const kube = () => createKubeClients({ kubeconfig: info.kubeconfig, namespace: info.namespace });
    const { ip, port } = await serviceAddress(kube(), environmentId);
    const agent = await startBuildAgent(ip, port);
    try {
      await markPodRunning(kube(), environmentNames('azq3l5f6dbaaa', environmentId).podName);
      await receiver.next(1, 120_000);

      expect(await running.interrupt()).toBe(0);
      expect(running.output()).toContain('stopped; the data stays');
      expect(processesUnder(dataDir)).toEqual([]);
      expect(existsSync(join(dataDir, 'cluster.json'))).toBe(false);

      running = runCluster(dataDir);
      info = await running.info();
      const status = await call(info.api[0], 'GET', `/environments/${environmentId}`, undefined, headers());
      expect(status.json.phase).toBe('Ready');
      const completed = await call(info.api[0], 'PUT', '/complete', { environmentId }, headers());
      expect(completed.status).toBe(200);
      await eventually('objects deleted', async () => (await remainingObjects(kube(), environmentId)).length === 0);
      expect(receiver.received).toHaveLength(1);
      expect(await running.interrupt()).toBe(0);
      expect(processesUnder(dataDir)).toEqual([]);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });
});
