// `npm start` as a user runs it on a laptop: no TEMPORAL_ADDRESS, no Kubernetes configured, so the process starts
// its own Temporal dev server, etcd and kube-apiserver under DATA_DIR and supervises them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { cacheRoot } from '../../src/local/binaries';
import { freePort } from '../../src/local/processes';

export interface LocalStackFile {
  pid: number;
  children: Record<string, { pid: number | null; status: 'UP' | 'DOWN'; logFile: string }>;
}

export interface LocalModeProcess {
  /** Also its process group id. */
  pid: number;
  baseUrl: string;
  dataDir: string;
  temporalPort: number;
  output(): string;
  /** <DATA_DIR>/local-stack.json as the process last wrote it. */
  stackFile(): LocalStackFile;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

const ROOT = join(__dirname, '..', '..');
/** Inherited variables that would point the process at the shared test stack instead of its own. */
const FOREIGN = ['TEMPORAL_ADDRESS', 'KUBECONFIG', 'KUBE_NAMESPACE', 'DRIVER_ROLE', 'DRIVER_LOCAL_MODE'];

export async function startLocalMode(): Promise<LocalModeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'env-driver-local-'));
  const home = join(dataDir, 'home'); // no ~/.kube/config can leak in
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of FOREIGN) delete env[name];
  const port = await freePort();
  const temporalPort = await freePort();
  Object.assign(env, {
    HOME: home,
    PNC_ENV_DRIVER_CACHE: cacheRoot(),
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
  });
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a shell job: a signal to the group reaches it and its servers, like Ctrl-C.
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const file = join(dataDir, 'local-stack.json');
  return {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    temporalPort,
    output: () => output,
    stackFile: () => {
      if (!existsSync(file)) throw new Error(`no ${file} yet`);
      return JSON.parse(readFileSync(file, 'utf8')) as LocalStackFile;
    },
    exited,
  };
}

/** True while a process with this pid (negative: any process of that group) exists; signal 0 only checks. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes a loopback port as soon as its owner is gone (bounded), so that nothing else can listen on it. Clients
 * that connect meanwhile are cut off at once, as by a dead server.
 */
export async function occupyPort(port: number, timeoutMs = 5000): Promise<Server> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      return server;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`port ${port} still taken`, { cause: error });
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
