// A worker in its own OS process (`npm start` with DRIVER_ROLE=worker), so a test can SIGKILL it like a crashed
// node: no shutdown hook runs, its activities stop heartbeating and Temporal must hand them to another worker.
// With `role: 'all'` the same process serves the REST API on `port` too, and SIGTERM stops it as Kubernetes does.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerProcess {
  pid: number;
  /** Everything the child printed, for failure messages. */
  output(): string;
  /** Resolves once the worker polls its task queue (it bundles the workflows first, which takes seconds). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL and wait for the exit; a no-op when it already exited. */
  kill(): Promise<void>;
  /** SIGSTOP, and wait until the kernel reports it stopped: it runs no instruction more, whatever it receives. */
  freeze(): Promise<void>;
  /** Still running (not exited, not killed)? */
  alive(): boolean;
  /** Sends a signal (e.g. SIGTERM, as Kubernetes does before it kills a pod). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process exits, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

export interface ProcessOptions {
  /** `worker` (default) or `all`: API and worker in one process. */
  role?: 'worker' | 'all';
  /** The HTTP port (API, or the worker's probe); 0 by default. */
  port?: number;
}

const ROOT = join(__dirname, '..', '..');
const verbose = (level: string | undefined) => (level === 'debug' || level === 'trace' ? level : null);

export function startWorkerProcess(
  env: Record<string, string>,
  { role = 'worker', port = 0 }: ProcessOptions = {},
): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    // PORT 0 by default: the worker's probe/metrics listener must not collide with anything else on this machine.
    // LOG_LEVEL at most info: readiness is the driver's 'worker started' INFO line, printed just before it polls.
    env: {
      ...process.env,
      ...env,
      DRIVER_ROLE: role,
      PORT: String(port),
      LOG_LEVEL: verbose(env.LOG_LEVEL) ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    pid: child.pid!,
    output: () => output,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      // Not the SDK's "Worker state changed" line: the SDK holds its lines back 100 ms to sort them (temporal.ts),
      // and a test may kill the worker on its first task before they come out.
      while (!output.includes('"msg":"worker started"')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker process not ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async freeze() {
      child.kill('SIGSTOP');
      // Field 3 of /proc/<pid>/task/<tid>/stat is a thread's state; 'T' = stopped by a signal. Every thread.
      const state = (tid: string) => readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.[0];
      while (!readdirSync(`/proc/${child.pid}/task`).every((tid) => state(tid) === 'T')) {
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    signal: (signal) => child.kill(signal),
    exited,
  };
}
