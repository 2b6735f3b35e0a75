// Finds or builds the three real servers the project runs against: Temporal CLI (dev server),
// kube-apiserver and etcd. Order: explicit env var, PATH, per-user cache keyed by version, then build.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const KUBERNETES_VERSION = 'v1.36.3';

export interface Binaries {
  temporal: string;
  kubeApiserver: string;
  etcd: string;
}

interface BinarySpec {
  name: string;
  envVar: string;
  cacheDir: string;
}

const kubeModuleDir = resolve(__dirname, '../../tools/kube');

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PNC_ENV_DRIVER_CACHE) return env.PNC_ENV_DRIVER_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pnc-env-driver');
}

function specs(env: NodeJS.ProcessEnv): Record<keyof Binaries, BinarySpec> {
  const root = join(cacheRoot(env), 'bin');
  return {
    temporal: {
      name: 'temporal',
      envVar: 'TEMPORAL_CLI_PATH',
      cacheDir: join(root, `temporal-${TEMPORAL_CLI_VERSION}`),
    },
    kubeApiserver: {
      name: 'kube-apiserver',
      envVar: 'KUBE_APISERVER_PATH',
      cacheDir: join(root, `kube-${KUBERNETES_VERSION}`),
    },
    etcd: { name: 'etcd', envVar: 'ETCD_PATH', cacheDir: join(root, `kube-${KUBERNETES_VERSION}`) },
  };
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Finds a binary without building; null when it would have to be built. */
export function findBinary(key: keyof Binaries, env: NodeJS.ProcessEnv = process.env): string | null {
  const spec = specs(env)[key];
  const explicit = env[spec.envVar];
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${spec.envVar}=${explicit} does not exist`);
    return explicit;
  }
  const cached = join(spec.cacheDir, spec.name);
  return onPath(spec.name, env) ?? (existsSync(cached) ? cached : null);
}

function requireGo(what: string, env: NodeJS.ProcessEnv): void {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore', env });
  } catch {
    throw new Error(
      `Cannot build ${what}: no Go toolchain on PATH. Install Go ≥ 1.26 (with access to a Go module proxy), ` +
        'or supply the binaries with TEMPORAL_CLI_PATH, KUBE_APISERVER_PATH and ETCD_PATH.',
    );
  }
}

/** Runs a build, printing a progress line every 20 s so minutes of compiling are not silence. */
function runBuild(what: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    let packages = 0;
    let tail = '';
    log(`building ${what} (first time only; ~10–20 min on 2 cores) …`);
    const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      packages += text.split('\n').filter((line) => line && !line.startsWith('go: ')).length;
      tail = (tail + text).slice(-4000);
    });
    const timer = setInterval(() => {
      log(`  … still building ${what}: ${Math.round((Date.now() - started) / 1000)} s, ${packages} packages compiled`);
    }, 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) {
        log(`built ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
        resolvePromise();
      } else {
        reject(
          new Error(
            `go ${args.join(' ')} failed (exit ${code}). Is a Go module proxy reachable (GOPROXY)? ` +
              `Last output:\n${tail}`,
          ),
        );
      }
    });
  });
}

function log(line: string): void {
  process.stderr.write(`[tools] ${line}\n`);
}

async function buildTemporal(spec: BinarySpec, env: NodeJS.ProcessEnv): Promise<void> {
  requireGo('the Temporal CLI', env);
  const staging = `${spec.cacheDir}.partial`;
  mkdirSync(staging, { recursive: true });
  await runBuild(
    `temporal CLI ${TEMPORAL_CLI_VERSION}`,
    ['install', '-v', '-trimpath', '-ldflags=-s -w', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
    cacheRoot(env),
    { ...env, GOBIN: staging, GOFLAGS: '-buildvcs=false' },
  );
  renameSync(staging, spec.cacheDir); // atomic: a half-built cache never looks complete
}

async function buildKube(spec: BinarySpec, env: NodeJS.ProcessEnv): Promise<void> {
  requireGo('kube-apiserver and etcd', env);
  const staging = `${spec.cacheDir}.partial`;
  mkdirSync(staging, { recursive: true });
  await runBuild(
    `kube-apiserver ${KUBERNETES_VERSION} and etcd`,
    ['build', '-v', '-trimpath', '-ldflags=-s -w', '-o', `${staging}/`, './cmd/kube-apiserver', './cmd/etcd'],
    kubeModuleDir,
    { ...env, GOFLAGS: '-buildvcs=false -mod=mod' },
  );
  renameSync(staging, spec.cacheDir);
}

/** Finds every binary, building the missing ones once (idempotent; concurrent callers may both build). */
export async function ensureBinaries(env: NodeJS.ProcessEnv = process.env): Promise<Binaries> {
  const all = specs(env);
  mkdirSync(cacheRoot(env), { recursive: true });
  if (!findBinary('temporal', env)) await buildTemporal(all.temporal, env);
  if (!findBinary('kubeApiserver', env) || !findBinary('etcd', env)) await buildKube(all.kubeApiserver, env);
  return {
    temporal: findBinary('temporal', env)!,
    kubeApiserver: findBinary('kubeApiserver', env)!,
    etcd: findBinary('etcd', env)!,
  };
}
