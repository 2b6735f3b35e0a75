// The compiled driver (`npm run build` → dist/) on the real stack, as production runs it: the API role as the
// Containerfile starts it (node dist/src/main.js), the worker role through `npm start`'s launcher (tools/start.js,
// outside local mode → dist/). Both serve readiness, create and cancel an environment together, stop on SIGTERM,
// and print one JSON object per line: the Temporal SDK's own lines included, every worker line about the
// environment carrying its environmentId, never the payload key.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClients } from '../../activities/k8s/client';
import { jsonLines, ROOT, type DriverProcess, startCompiledPair, type CompiledPair } from '../support/compiled-process';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, eventually, remainingObjects } from '../support/invoker';

type Line = Record<string, unknown>;

describe('the compiled driver (dist/)', () => {
  const codecKey = randomBytes(32);
  let pair: CompiledPair;
  let kube: KubeClients;
  let api: DriverProcess;
  let worker: DriverProcess;
  let apiUrl: string;
  let workerUrl: string;
  let environmentId: string;
  const outputs = () => pair.outputs();

  beforeAll(async () => {
    pair = await startCompiledPair('compiled', {
      PAYLOAD_CODEC_KEY: codecKey.toString('base64'),
      // DEBUG: the SDK's per-workflow and per-activity lines, and the worker's options, are in the stream too.
      LOG_LEVEL: 'debug',
    });
    ({ kube, api, worker, apiUrl, workerUrl } = pair);
  }, 180_000);

  afterAll(() => pair?.kill());

  it('serves /q/health/ready in the worker and the API role', async () => {
    const ready = (base: string) => async () => {
      const response = await fetch(`${base}/q/health/ready`);
      return response.status === 200;
    };
    await eventually('compiled worker ready', ready(workerUrl), 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${outputs()}`);
    });
    await eventually('compiled API ready', ready(apiUrl), 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${outputs()}`);
    });
  });

  it('creates an environment through the compiled API and worker, and cancels it', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const created = await call(apiUrl, 'POST', '/create', createBody(receiver.url()));
      if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}\n${outputs()}`);
      environmentId = created.json.environmentId;
      expect((await remainingObjects(kube, environmentId)).length).toBe(2); // pod and service, created by the worker

      expect((await call(apiUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
      expect(JSON.parse((await receiver.next(1)).body)).toMatchObject({ status: 'CANCELLED' });
      await eventually('environment destroyed', async () => (await remainingObjects(kube, environmentId)).length === 0);
      await eventually('destroy logged', async () => worker.stdout().includes('"msg":"environment destroyed"'));
    } finally {
      await receiver.stop();
    }
  });

  it('reports the commit and build time `npm run build` recorded on /version', async () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'dist', 'build-info.json'), 'utf8'));
    const version = (await call(apiUrl, 'GET', '/version')).json;
    expect(version).toMatchObject({ name: 'environment-driver', commit: recorded.commit, builtOn: recorded.builtOn });
    expect(version.commit).toMatch(/^[0-9a-f]{40}$/); // this checkout is a git repository
    expect(new Date(version.builtOn).toISOString()).toBe(version.builtOn);
  });

  it('stops on SIGTERM with exit code 0, the launcher passing the signal on to the worker', async () => {
    process.kill(worker.pid, 'SIGTERM');
    process.kill(api.pid, 'SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await api.exited).toBe(0);
  });

  it('printed one JSON object per line on stdout and nothing on stderr', () => {
    expect({ worker: worker.stderr(), api: api.stderr() }).toEqual({ worker: '', api: '' });
    const workerLines = jsonLines(worker);
    const apiLines = jsonLines(api);
    expect(apiLines).toContainEqual(expect.objectContaining({ msg: 'incoming request', role: 'api' }));
    // The SDK's lines, through pino: worker lifecycle and the workflow bundler.
    expect(workerLines).toContainEqual(
      expect.objectContaining({ msg: 'Worker state changed', state: 'RUNNING', sdkComponent: 'worker' }),
    );
    expect(workerLines).toContainEqual(expect.objectContaining({ msg: 'Workflow bundle created' }));
    // The launcher ran the compiled workflows, not the sources.
    const creating = workerLines.find((line) => line.msg === 'Creating worker') as {
      options: { workflowsPath: string };
    };
    expect(creating.options.workflowsPath).toBe(join(ROOT, 'dist', 'workflows', 'index.js'));
  });

  it('put environmentId on every worker line about the environment: ours, the workflow’s and the activities’', () => {
    const about = worker.lines().filter((line) => line.includes(environmentId));
    const lines = about.map((line) => JSON.parse(line) as Line);
    expect(lines.filter((line) => line.environmentId !== environmentId)).toEqual([]);
    // The SDK's own lines carry the workflow as metadata only; the adapter names the environment.
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'Workflow started',
        workflowId: environmentId,
        workflowType: 'environmentWorkflow',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'Activity completed',
        workflowId: environmentId,
        activityType: expect.any(String),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'environment destroyed', activityType: 'destroyEnvironment' }),
    );
    expect(lines.some((line) => 'taskToken' in line)).toBe(false);
  });

  it('never printed the payload encryption key, not even in the worker options at DEBUG', () => {
    for (const output of [worker.stdout(), api.stdout()]) {
      expect(output).not.toContain(codecKey.toString('base64'));
      expect(output).not.toContain(codecKey.join(','));
    }
  });
});
