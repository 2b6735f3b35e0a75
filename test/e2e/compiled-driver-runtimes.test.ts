// The compiled driver (dist/, as the image runs it) through a whole environment life on each supported Node: the
// machine's (the one running jest) and Node 24 LTS, the production runtime (fetched once by tools/node24.ts). The
// API runs `node dist/src/main.js` as the Containerfile does; the worker runs through `npm start`'s launcher,
// which starts the driver on the launcher's own runtime. Under `npm run test:node24` both are the same: one run.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { KubeClients } from '../../activities/k8s/client';
import { environmentNames } from '../../workflows/names';
import { ensureNode24 } from '../../tools/node24';
import { startCompiledPair, type CompiledPair, type DriverProcess } from '../support/compiled-process';
import { startBuildAgent, startCallbackReceiver } from '../support/fakes';
import { markPodRunning } from '../support/kubelet';
import { call, createBody, eventually, remainingObjects, serviceAddress } from '../support/invoker';

const versionOf = (node: string) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const runtimes = [process.execPath, ensureNode24()]
  .map((node) => ({ node, version: versionOf(node) }))
  .filter((runtime, index, all) => all.findIndex((other) => other.version === runtime.version) === index);

/** The version the process's own metrics report (prom-client's nodejs_version_info). */
async function runtimeVersion(base: string): Promise<string | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return /^nodejs_version_info\{version="(v[^"]+)"/m.exec(text)?.[1];
}

describe.each(runtimes)('the compiled driver on Node $version', ({ node, version }) => {
  let pair: CompiledPair;
  let kube: KubeClients;
  let api: DriverProcess;
  let worker: DriverProcess;
  let apiUrl: string;
  let workerUrl: string;
  const outputs = () => pair.outputs();

  beforeAll(async () => {
    pair = await startCompiledPair('runtime', { PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64') }, node);
    ({ kube, api, worker, apiUrl, workerUrl } = pair);
  }, 180_000);

  afterAll(() => pair?.kill());

  it(`gets ready, both roles running on ${version}`, async () => {
    for (const [role, base, timeout] of [
      ['worker', workerUrl, 90_000],
      ['API', apiUrl, 30_000],
    ] as const) {
      await eventually(`compiled ${role} ready`, async () => (await fetch(`${base}/q/health/ready`)).ok, timeout).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${outputs()}`);
        },
      );
      expect(await runtimeVersion(base)).toBe(version);
    }
  });

  it('creates an environment, calls back SUCCESS once it is up, and destroys it on complete', async () => {
    const receiver = await startCallbackReceiver();
    const created = await call(apiUrl, 'POST', '/create', createBody(receiver.url()));
    if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}\n${outputs()}`);
    const { environmentId } = created.json;
    const names = environmentNames('azq3l5f6dbaaa', environmentId);
    expect((await remainingObjects(kube, environmentId)).sort()).toEqual([
      `Pod/${names.podName}`,
      `Service/${names.serviceName}`,
    ]);
    const { ip, port } = await serviceAddress(kube, environmentId);
    const agent = await startBuildAgent(ip, port);
    try {
      await markPodRunning(kube, names.podName);
      expect(JSON.parse((await receiver.next(1)).body)).toEqual({
        environmentBaseUri: `http://${ip}:${port}/pnc-ba-${environmentId}`,
        workingDirectory: '/tmp',
        sshPassword: '',
        status: 'SUCCESS',
      });
      await eventually(
        'Ready',
        async () => (await call(apiUrl, 'GET', `/environments/${environmentId}`)).json.phase === 'Ready',
      );

      const completed = await call(apiUrl, 'PUT', '/complete', { environmentId });
      expect(completed).toMatchObject({ status: 200, json: { debugHost: null, debugPort: -1 } });
      await eventually('objects deleted', async () => (await remainingObjects(kube, environmentId)).length === 0);
      await eventually(
        'Destroyed',
        async () => (await call(apiUrl, 'GET', `/environments/${environmentId}`)).json.phase === 'Destroyed',
      );
      expect(receiver.received).toHaveLength(1);
    } finally {
      await agent.stop();
      await receiver.stop();
    }
  });

  it('stops on SIGTERM with exit code 0, having written nothing to stderr (no runtime warnings)', async () => {
    process.kill(worker.pid, 'SIGTERM');
    process.kill(api.pid, 'SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await api.exited).toBe(0);
    expect({ worker: worker.stderr(), api: api.stderr() }).toEqual({ worker: '', api: '' });
  });
});
