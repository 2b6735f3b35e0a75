// Keeps one embedded server (Temporal dev server, etcd, kube-apiserver) running: when it dies it is started
// again with the very same command line (same ports, same data), after a capped, doubling backoff.
import type { ChildProcess } from 'node:child_process';
import { hasEnded, type ManagedProcess } from './processes';

export interface ChildSpec {
  name: string;
  /** Starts the child; called again, unchanged, for every restart. */
  spawn(): ManagedProcess;
  /** Resolves once the child serves; rejects (bounded) when it does not. */
  ready(child: ManagedProcess): Promise<void>;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A child that stayed up this long starts again from `initialMs` when it next dies. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

type LogFn = (fields: object, message: string) => void;
export interface SupervisorLog {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SupervisionOptions {
  log?: SupervisorLog;
  backoff?: Backoff;
  /** Called whenever a child goes down or comes (back) up, e.g. to rewrite a pid file. */
  onChange?: () => void;
}

/** A readiness check in the MicroProfile health shape. */
export interface EmbeddedCheck {
  name: string;
  status: 'UP' | 'DOWN';
  data: Record<string, string | number>;
}

export interface Supervised {
  name: string;
  logFile: string;
  /** The running child's pid; null between a death and the next spawn. */
  pid(): number | null;
  check(): EmbeddedCheck;
  /** No more restarts from now on (a deliberate shutdown); the child keeps running. */
  halt(): void;
  /** halt(), then stop the child. */
  stop(): Promise<void>;
}

/** Calls `handler` once, when the child exits or when it could not be spawned at all (no 'exit' then). */
function whenEnded(child: ChildProcess, handler: (code: number | null, signal: NodeJS.Signals | null) => void): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    handler(child.exitCode, child.signalCode);
  };
  child.once('exit', end);
  child.on('error', () => {
    if (child.pid === undefined) end();
  });
}

const silent: SupervisorLog = { info() {}, warn() {}, error() {} };

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

/** Starts the child and waits until it serves (a first start that fails throws), then supervises it. */
export async function supervise(spec: ChildSpec, options: SupervisionOptions = {}): Promise<Supervised> {
  const log = options.log ?? silent;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const changed = () => options.onChange?.();
  let current = spec.spawn();
  let up = false;
  let upSince = 0;
  let halted = false;
  let restarts = 0;
  let delayMs = backoff.initialMs;
  let lastExit = '';
  let downReason = '';
  let timer: NodeJS.Timeout | null = null;

  const scheduleRestart = (reason: string, fields: object) => {
    if (halted) return;
    if (up && Date.now() - upSince >= backoff.resetAfterMs) delayMs = backoff.initialMs;
    up = false;
    lastExit = reason;
    downReason = `${reason}; restarting in ${delayMs} ms`;
    log.warn(
      { child: spec.name, ...fields, restartInMs: delayMs, logFile: current.logFile },
      `${spec.name} ${downReason}`,
    );
    changed();
    timer = setTimeout(() => void restart(), delayMs);
    delayMs = Math.min(delayMs * 2, backoff.maxMs);
  };
  const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
    scheduleRestart(describeExit(code, signal), { code, signal });

  const restart = async () => {
    timer = null;
    if (halted) return;
    restarts++;
    try {
      current = spec.spawn();
    } catch (error) {
      scheduleRestart(`could not be started (${(error as Error).message})`, {});
      return;
    }
    whenEnded(current.child, onExit);
    downReason = `${lastExit}; restarting (pid ${current.child.pid})`;
    changed();
    try {
      await spec.ready(current);
    } catch (error) {
      // A child that exited was already handled by onExit; one that hangs is stopped, and its exit retries.
      if (halted || hasEnded(current.child)) return;
      log.error({ child: spec.name, err: error }, `${spec.name} did not come back; stopping it to try again`);
      await current.stop();
      return;
    }
    if (halted || hasEnded(current.child)) return;
    up = true;
    upSince = Date.now();
    log.info({ child: spec.name, pid: current.child.pid, restarts }, `${spec.name} restarted`);
    changed();
  };

  try {
    await spec.ready(current);
  } catch (error) {
    halted = true;
    await current.stop();
    throw error;
  }
  up = true;
  upSince = Date.now();
  whenEnded(current.child, onExit);
  // It may have died between the probe and the listener.
  if (hasEnded(current.child)) onExit(current.child.exitCode, current.child.signalCode);

  const halt = () => {
    halted = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    name: spec.name,
    logFile: current.logFile,
    pid: () => (hasEnded(current.child) ? null : (current.child.pid ?? null)),
    check: (): EmbeddedCheck =>
      up
        ? { name: `embedded ${spec.name}`, status: 'UP', data: { restarts } }
        : { name: `embedded ${spec.name}`, status: 'DOWN', data: { restarts, reason: downReason } },
    halt,
    async stop() {
      halt();
      await current.stop();
    },
  };
}
