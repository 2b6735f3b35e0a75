// The driver as it runs in production: the compiled dist/ (node dist/src/main.js, as the Containerfile does) or
// `npm start`'s launcher (tools/start.js), in a child process whose stdout and stderr are kept apart.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

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
