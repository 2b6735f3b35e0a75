// Child processes of the local stack: started on loopback, logged to a file, and never outliving us.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only thing that surely lands in time.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Run as this user (a server that refuses root, e.g. PostgreSQL). */
  runAs?: { uid: number; gid: number } | null;
  /** The signal that asks it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  env?: NodeJS.ProcessEnv;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  options: StartOptions = {},
): ManagedProcess {
  killAllOnExit();
  const log = createWriteStream(logFile, { flags: 'a' });
  // A log that cannot be written must not take the driver down, nor stall the child on a full pipe.
  log.on('error', () => {
    child.stdout?.resume();
    child.stderr?.resume();
  });
  // Its own process group: a Ctrl-C in the terminal reaches only us, so the worker drains while Temporal still
  // runs, and we stop the servers afterwards (or SIGKILL them on exit).
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: options.env ?? process.env,
    ...(options.runAs ?? {}),
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  running.add(child);
  child.on('exit', () => running.delete(child));
  // A binary that cannot be spawned (gone, not executable) emits 'error' and no 'exit': record it, never crash.
  child.on('error', (error) => {
    if (child.pid === undefined) running.delete(child);
    log.write(`${name}: ${error.message}\n`);
  });
  return {
    name,
    child,
    logFile,
    stop: () => stopChild(child, 5000, options.stopSignal),
  };
}

/** Exited, killed, or never spawned. */
export function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after a bounded wait. */
export function stopChild(child: ChildProcess, graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (hasEnded(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true, failing with the process log path after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  process?: ManagedProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process && hasEnded(process.child)) {
      const ended = process.child.exitCode ?? process.child.signalCode;
      throw new Error(`${what}: ${process.name} exited with ${ended}; see ${process.logFile}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms${process ? `; see ${process.logFile}` : ''}`);
}
