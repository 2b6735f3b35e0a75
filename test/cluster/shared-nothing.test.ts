// Replicas that share nothing but Temporal (on PostgreSQL) and Kubernetes: 2 API and 2 worker processes of the
// compiled driver, as `npm run cluster` starts them. Creates alternate between the APIs; complete and cancel go to
// the other one. One worker is SIGKILLed while it checks an agent's readiness, another while it delivers a callback,
// and the Temporal server restarts while environments are in flight. Every environment still gets its result under
// one Idempotency-Key, ends Destroyed, and leaves no object behind.
import { Client, Connection } from '@temporalio/client';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';
import { startCluster, type Cluster, type ClusterInfo } from '../../tools/cluster/cluster';
import { environmentNames } from '../../workflows/names';
import { TEST_SETTINGS } from '../support/driver';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, INVOKER_HEADERS, remainingObjects, serviceAddress } from '../support/invoker';
import { markPodRunning } from '../support/kubelet';
import { socketOwner } from '../support/socket-owner';

const { ensureBuilt } = require('../../tools/build') as { ensureBuilt(): { built: boolean } };

const ENVIRONMENTS = 4;

describe('2 API and 2 worker replicas on Temporal + PostgreSQL', () => {
  let cluster: Cluster;
  let kube: KubeClients;
  let client: Client;
  let dataDir: string;
  const stops: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'env-driver-cluster-'));
    chmodSync(dataDir, 0o755);
    cluster = await startCluster({
      dataDir,
      env: {
        ...TEST_SETTINGS,
        // Workers die and come back (bundling takes seconds): budgets that outlast that.
        ENVIRONMENT_DRIVER_POD_RUNNING_WAIT_FOR: '300',
        ENVIRONMENT_DRIVER_BUILD_AGENT_RUNNING_WAIT_FOR: '300',
        ENVIRONMENT_DRIVER_CALLBACK_RETRY_DURATION: '300',
      },
    });
    kube = createKubeClients({ kubeconfig: cluster.info.kubeconfig, namespace: cluster.info.namespace });
    client = new Client({ connection: await Connection.connect({ address: cluster.info.temporal }) });
  }, 600_000);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await client?.connection.close();
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every environment whole through worker kills and a Temporal restart', async () => {
    const headers = { ...INVOKER_HEADERS, authorization: `Bearer ${cluster.info.token}` };
    const api = (i: number) => cluster.info.api[i % cluster.info.api.length];
    const workerPids = () => cluster.workers.flatMap((w) => w.process.pid() ?? []);
    /** The pid of the worker SIGKILLed at each moment (null: the caller was not found among the workers). */
    const killed: Record<string, number | null> = {};
    const killCaller = (moment: string, port: number | undefined) => {
      const pid = port === undefined ? null : socketOwner(port, workerPids());
      killed[moment] = pid;
      if (pid) process.kill(pid, 'SIGKILL');
    };

    // Environment 1's first delivery: its sender dies before the answer.
    const receiver = await startCallbackReceiver({
      beforeAnswer: (_n, request) => {
        if (request.url === '/cb/1' && !('callback' in killed)) killCaller('callback', request.remotePort);
      },
    });
    stops.push(() => receiver.stop());
    const ids: string[] = [];
    for (let i = 0; i < ENVIRONMENTS; i++) {
      const created = await call(api(i), 'POST', '/create', createBody(receiver.url(`/cb/${i}`)), headers);
      if (created.status !== 200) throw new Error(`/create on ${api(i)}: ${created.status} ${created.text}`);
      ids.push(created.json.environmentId);
    }
    for (const [i, environmentId] of ids.entries()) {
      const { ip, port } = await serviceAddress(kube, environmentId);
      // Environment 0's agent: the worker that pings it first dies mid-readiness.
      const agent = await startBuildAgent(ip, port, (req) => {
        if (i !== 0 || 'readiness' in killed) return 200;
        killCaller('readiness', req.socket.remotePort);
        return 503;
      });
      stops.push(() => agent.stop());
    }
    const callbacksOf = (i: number) => receiver.all.filter((r) => r.url === `/cb/${i}`);
    const delivered = (i: number, count = 1) =>
      eventually(`callback of environment ${i}`, async () => callbacksOf(i).length >= count, 240_000);
    const running = (i: number) => markPodRunning(kube, environmentNames('azq3l5f6dbaaa', ids[i]).podName);

    await running(0);
    await delivered(0);
    await running(1);
    await delivered(1, 2); // the killed sender's attempt, then another worker's
    // The Temporal server goes down (SIGTERM) while environments 2 and 3 become ready; its supervisor restarts it.
    const temporalPid = cluster.temporal.server.pid()!;
    process.kill(temporalPid, 'SIGTERM');
    await Promise.all([running(2), running(3)]);
    await eventually(
      'Temporal restarted',
      async () => cluster.temporal.server.check().status === 'UP' && cluster.temporal.server.pid() !== temporalPid,
      180_000,
    );
    await Promise.all([delivered(2), delivered(3)]);
    expect(killed).toEqual({ readiness: expect.any(Number), callback: expect.any(Number) });

    // Complete and cancel on the API that did not create the environment.
    for (const [i, environmentId] of ids.entries()) {
      const other = api(i + 1);
      const answer =
        i % 2 === 0
          ? await call(other, 'PUT', '/complete', { environmentId }, headers)
          : await call(other, 'PUT', `/cancel/${environmentId}`, undefined, headers);
      expect(answer.status).toBe(200);
    }
    for (const [i, environmentId] of ids.entries()) {
      const final = await client.workflow.getHandle(environmentId).result();
      expect(final.phase).toBe('Destroyed');
      expect(await remainingObjects(kube, environmentId)).toEqual([]);
      const keys = new Set(callbacksOf(i).map((r) => r.headers['idempotency-key']));
      expect([...keys]).toEqual([expect.stringMatching(/.+/)]);
      expect(callbacksOf(i).map((r) => JSON.parse(r.body).status)).toEqual(callbacksOf(i).map(() => 'SUCCESS'));
    }
    expect(callbacksOf(1)).toHaveLength(2);
    const open = await client.workflow.count(`ExecutionStatus = 'Running' AND EnvironmentPhase IS NOT NULL`);
    expect(open.count).toBe(0);
    // Supervised like pods: both killed workers came back, and cluster.json names the new processes.
    await eventually(
      'workers up again',
      async () => cluster.workers.every((w) => w.process.check().status === 'UP'),
      120_000,
    );
    const restarts = cluster.workers.map((w) => Number(w.process.check().data.restarts));
    expect(restarts.reduce((a, b) => a + b)).toBe(2);
    const listed = (JSON.parse(readFileSync(cluster.file, 'utf8')) as ClusterInfo).workers.map((w) => w.pid);
    expect(listed).toEqual(cluster.workers.map((w) => w.process.pid()));
  });
});
