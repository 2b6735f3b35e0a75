// Finds or builds the Temporal server (all services in one binary) and its SQL schema tool, at the release line
// docker-compose runs, from the Go module proxy into the per-user cache, with the PostgreSQL schema files of the
// same module beside them. Order: TEMPORAL_SERVER_DIR (a directory laid out like the cache), then the cache, else
// `go install` (~5–10 min on 2 cores the first time; atomic, so a half-built cache never looks complete).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../src/local/binaries';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** `schema/postgresql/v12` of the server module: `temporal/versioned` and `visibility/versioned`. */
  postgresSchemaDir: string;
}

function layout(dir: string): TemporalServerBinaries {
  return {
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    postgresSchemaDir: join(dir, 'schema', 'postgresql', 'v12'),
  };
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), 'bin', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/** The binaries without building; null when they would have to be built. */
export function findTemporalServer(env: NodeJS.ProcessEnv = process.env): TemporalServerBinaries | null {
  const dir = env.TEMPORAL_SERVER_DIR || cacheDir(env);
  const found = layout(dir);
  if (Object.values(found).every((path) => existsSync(path))) return found;
  if (env.TEMPORAL_SERVER_DIR) throw new Error(`TEMPORAL_SERVER_DIR=${dir} lacks ${Object.values(found).join(', ')}`);
  return null;
}

/** `go install …` with a progress line every 30 s. */
export function goInstall(args: string[], env: NodeJS.ProcessEnv, what = 'the Temporal server'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let tail = '';
    const child = spawn('go', args, { cwd: cacheRoot(env), env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000)));
    const timer = setInterval(
      () => log(`  … still building ${what}: ${Math.round((Date.now() - started) / 1000)} s`),
      30_000,
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`go ${args.join(' ')} failed (exit ${code}); needs Go ≥ 1.25 and a Go module proxy:\n${tail}`),
        );
    });
  });
}

export function log(line: string): void {
  process.stderr.write(`[tools] ${line}\n`);
}

export async function ensureTemporalServer(env: NodeJS.ProcessEnv = process.env): Promise<TemporalServerBinaries> {
  const found = findTemporalServer(env);
  if (found) return found;
  const dir = cacheDir(env);
  const staging = `${dir}.partial`;
  mkdirSync(staging, { recursive: true });
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool (first time only; ~5–10 min) …`);
  const started = Date.now();
  const packages = ['cmd/server', 'cmd/tools/sql'].map((pkg) => `${MODULE}/${pkg}@${TEMPORAL_SERVER_VERSION}`);
  await goInstall(['install', '-trimpath', '-ldflags=-s -w', ...packages], {
    ...env,
    GOBIN: staging,
    GOFLAGS: '-buildvcs=false',
  });
  renameSync(join(staging, 'server'), join(staging, 'temporal-server'));
  renameSync(join(staging, 'sql'), join(staging, 'temporal-sql-tool'));
  // The schema files of the very module just built, copied out of the Go module cache (which may be cleaned).
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).trim();
  const schemaSource = join(modCache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  const schemaTarget = join(staging, 'schema', 'postgresql');
  rmSync(schemaTarget, { recursive: true, force: true });
  mkdirSync(schemaTarget, { recursive: true });
  execFileSync('cp', ['-R', schemaSource, schemaTarget]);
  execFileSync('chmod', ['-R', 'u+w', schemaTarget]); // the module cache is read-only
  renameSync(staging, dir);
  log(`built the Temporal server in ${Math.round((Date.now() - started) / 1000)} s`);
  return layout(dir);
}
