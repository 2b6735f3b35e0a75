// Finds or builds kustomize, which renders deploy/ for the manifest tests (the real one: what `kubectl apply -k`
// and `oc apply -k` embed). Order: KUSTOMIZE_PATH, PATH, the per-user cache; else `go install` from the Go module
// proxy into the cache (~30 s on 2 cores; atomic, so a half-built cache never looks complete).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from '../src/local/binaries';

// v5.8.3 needs Go ≥ 1.27; v5.8.2 builds with the Go 1.26 the other servers need.
export const KUSTOMIZE_VERSION = 'v5.8.2';

/** kustomize without building; null when it would have to be built. */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.KUSTOMIZE_PATH) {
    if (!existsSync(env.KUSTOMIZE_PATH)) throw new Error(`KUSTOMIZE_PATH=${env.KUSTOMIZE_PATH} does not exist`);
    return env.KUSTOMIZE_PATH;
  }
  const candidates = [
    ...(env.PATH ?? '').split(delimiter).filter(Boolean),
    join(cacheRoot(env), 'bin', `kustomize-${KUSTOMIZE_VERSION}`),
  ].map((dir) => join(dir, 'kustomize'));
  return candidates.find((path) => existsSync(path)) ?? null;
}

export async function ensureKustomize(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = findKustomize(env);
  if (found) return found;
  const dir = join(cacheRoot(env), 'bin', `kustomize-${KUSTOMIZE_VERSION}`);
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  process.stderr.write(`[tools] building kustomize ${KUSTOMIZE_VERSION} (first time only) …\n`);
  try {
    await promisify(execFile)(
      'go',
      ['install', '-trimpath', '-ldflags=-s -w', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`],
      { cwd: cacheRoot(env), env: { ...env, GOBIN: staging, GOFLAGS: '-buildvcs=false' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`Cannot build kustomize (needs Go and a Go module proxy, or KUSTOMIZE_PATH): ${stderr}`, {
      cause: error,
    });
  }
  if (!existsSync(dir)) renameSync(staging, dir);
  return join(dir, 'kustomize');
}

/** `kustomize build <dir>`: the rendered YAML stream. */
export async function kustomizeBuild(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const kustomize = await ensureKustomize(env);
  const { stdout } = await promisify(execFile)(kustomize, ['build', dir], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
