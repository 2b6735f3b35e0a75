// Starts test/bench/worker-child.ts as compiled JavaScript in its own process, and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestDriver } from '../support/driver';
import { stackInfo } from '../support/stack';
import { compileForNode } from './compile';
import { withTimeout } from './stats';
import type { ChildMemory } from './worker-child';

function next<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string } & Record<string, unknown>) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`worker child exited with ${code}`)));
    }),
    timeoutMs,
    `worker child: ${type}`,
  );
}

export async function startChildWorker(driver: TestDriver) {
  const compiled = compileForNode(join(__dirname, 'worker-child.ts'));
  const child = fork(compiled.entry, [], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      ...driver.env,
      NODE_ENV: 'production',
      NODE_PATH: resolve(__dirname, '../../node_modules'),
      BENCH_WORKFLOW_BUNDLE: stackInfo().workflowBundlePath,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.once('exit', () => rmSync(compiled.out, { recursive: true, force: true }));
  await next(child, 'ready', 60_000);
  return {
    pid: child.pid,
    async memory(): Promise<ChildMemory> {
      child.send({ type: 'memory' });
      return (await next<{ memory: ChildMemory }>(child, 'memory', 10_000)).memory;
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await withTimeout(exited, 20_000, 'worker child to stop').catch(() => child.kill('SIGKILL'));
    },
  };
}
