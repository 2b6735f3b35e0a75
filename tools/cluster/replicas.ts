// API and worker replicas of the compiled driver (dist/src/main.js, the Containerfile's entrypoint), each its own
// supervised process on its own loopback port: restarted like a pod when it dies. They share nothing but Temporal
// and Kubernetes.
import { join } from 'node:path';
import { startProcess, waitUntil, type ManagedProcess } from '../../src/local/processes';
import { supervise, type Supervised, type SupervisionOptions } from '../../src/local/supervisor';

export const ROOT = join(__dirname, '..', '..');
const FIRST_START_ATTEMPTS = 5;

export interface Replica {
  name: string;
  role: 'api' | 'worker';
  url: string;
  process: Supervised;
}

export interface ReplicaOptions {
  name: string;
  role: 'api' | 'worker';
  port: number;
  logDir: string;
  /** Temporal, Kubernetes, auth and driver settings, the same for every replica. */
  env: Record<string, string>;
  supervision?: SupervisionOptions;
}

async function ready(url: string): Promise<boolean> {
  const response = await fetch(`${url}/q/health/ready`, { signal: AbortSignal.timeout(2000) });
  return response.status === 200;
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const url = `http://127.0.0.1:${options.port}`;
  const env = {
    ...process.env,
    ...options.env,
    DRIVER_ROLE: options.role,
    DRIVER_LOCAL_MODE: 'false',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    SELF_BASE_URL: `${url}/`,
    LOG_FORMAT: 'json',
  };
  const logFile = join(options.logDir, `${options.name}.log`);
  const entry = join(ROOT, 'dist', 'src', 'main.js');
  const spec = {
    name: options.name,
    spawn: () => startProcess(options.name, process.execPath, [entry], logFile, { env }),
    // A worker bundles the workflows before it polls: allow for it on a busy machine.
    ready: (child: ManagedProcess) => waitUntil(`${options.name} /q/health/ready`, () => ready(url), 120_000, child),
  };
  // Like a pod's first start: a replica that exits early (e.g. Temporal just restarted and its scheduler does not
  // answer yet) is started again, a few times, before the cluster gives up.
  for (let attempt = 1; ; attempt++) {
    try {
      return { name: options.name, role: options.role, url, process: await supervise(spec, options.supervision) };
    } catch (error) {
      if (attempt === FIRST_START_ATTEMPTS) throw error;
      options.supervision?.log?.warn({ child: options.name, attempt }, `${(error as Error).message}; starting again`);
      await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
    }
  }
}
