// The driver as it runs in production: the compiled dist/ (node dist/src/main.js, as the Containerfile does) or
// `npm start`'s launcher (tools/start.js), in a child process whose stdout and stderr are kept apart.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KubeClients } from '../../activities/k8s/client';
import { freePort } from '../../src/local/processes';
import { TEST_SETTINGS } from './driver';
import { freshNamespace, stackInfo } from './stack';

const { ensureBuilt } = require('../../tools/build') as { ensureBuilt(): { built: boolean } };

export const ROOT = join(__dirname, '..', '..');

export interface DriverProcess {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout's complete lines. */
  lines(): string[];
  /** Resolves with the exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string>;
}

/**
 * `entry`: `dist/src/main.js` or `tools/start.js`; env is added to this process's environment. `node`: the runtime,
 * by default the one running the tests.
 */
export function startDriverProcess(entry: string, env: Record<string, string>, node = process.execPath): DriverProcess {
  const child = spawn(node, [entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    lines: () => stdout.split('\n').slice(0, -1),
    exited,
  };
}

/** Each stdout line parsed; a line that is not one JSON object fails with the line itself. */
export function jsonLines(driver: DriverProcess): Record<string, unknown>[] {
  return driver.lines().map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`not a JSON object: ${line}`);
    }
    return parsed as Record<string, unknown>;
  });
}

/** A compiled API and worker on the real stack, in a fresh namespace: the production pair of processes. */
export interface CompiledPair {
  kube: KubeClients;
  api: DriverProcess;
  worker: DriverProcess;
  apiUrl: string;
  workerUrl: string;
  /** Both processes' output, for a failure message. */
  outputs(): string;
  /** SIGKILL both (afterAll). */
  kill(): void;
}

/**
 * Builds dist/ when stale, then starts the API as the Containerfile does (`node dist/src/main.js`) and the worker
 * through `npm start`'s launcher, both on `node`, sharing `env` (added to the test defaults) and a task queue.
 */
export async function startCompiledPair(
  prefix: string,
  env: Record<string, string> = {},
  node = process.execPath,
): Promise<CompiledPair> {
  ensureBuilt(); // compiles only when dist/ is missing or older than the sources
  const stack = stackInfo();
  const kube = await freshNamespace(prefix);
  const shared = {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: `${prefix}-${randomBytes(4).toString('hex')}`,
    DRIVER_LOCAL_MODE: 'false',
    AUTH_ENABLED: 'false',
    KUBECONFIG: stack.kubeconfig,
    KUBE_NAMESPACE: kube.namespace,
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_SECONDS: '0',
    ...TEST_SETTINGS,
    ...env,
  };
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const worker = startDriverProcess(
    'tools/start.js',
    { ...shared, DRIVER_ROLE: 'worker', PORT: String(workerPort) },
    node,
  );
  const api = startDriverProcess(
    join('dist', 'src', 'main.js'),
    { ...shared, DRIVER_ROLE: 'api', PORT: String(apiPort) },
    node,
  );
  return {
    kube,
    api,
    worker,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    workerUrl: `http://127.0.0.1:${workerPort}`,
    outputs: () =>
      `--- worker ---\n${worker.stdout()}${worker.stderr()}\n--- api ---\n${api.stdout()}${api.stderr()}`.slice(
        -20_000,
      ),
    kill() {
      for (const child of [worker, api]) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
