// What /version reports as `commit` and `builtOn`. `npm run build` records both in dist/build-info.json; run from
// source (swc compiles at start) the commit is the checkout's HEAD and the build time is the start time. BUILD_COMMIT
// and BUILD_TIME override either; `unknown` only when nothing knows the commit (built outside git).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildInfo {
  commit: string;
  builtOn: string;
}

/** The root of dist/ from dist/src/config; the project root from src/config, which holds no build-info.json. */
const ROOT = join(__dirname, '..', '..');
export const BUILD_INFO_FILE = join(ROOT, 'build-info.json');

const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

function recorded(): BuildInfo | null {
  try {
    const info = JSON.parse(readFileSync(BUILD_INFO_FILE, 'utf8')) as Partial<BuildInfo>;
    if (typeof info.commit === 'string' && isTime(info.builtOn)) return { commit: info.commit, builtOn: info.builtOn };
  } catch {
    // not built: running from source
  }
  return null;
}

/** HEAD of the git checkout around `dir`, or null outside git (or without git). */
export function gitCommit(dir: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return /^[0-9a-f]{40}$/.test(head) ? head : null;
  } catch {
    return null;
  }
}

let detected: BuildInfo | null = null;

/** Looked up once per process: the start time stands for the build time of a process run from source. */
function detect(): BuildInfo {
  return (detected ??= recorded() ?? { commit: gitCommit(ROOT) ?? 'unknown', builtOn: new Date().toISOString() });
}

/** `overrides`: BUILD_COMMIT / BUILD_TIME; placeholders (`unknown`, a time that does not parse) are ignored. */
export function buildInfo(overrides: { commit: string | null; time: string | null }): BuildInfo {
  const commit = overrides.commit !== null && overrides.commit !== 'unknown' ? overrides.commit : null;
  const builtOn = isTime(overrides.time) ? overrides.time : null;
  if (commit !== null && builtOn !== null) return { commit, builtOn };
  return { commit: commit ?? detect().commit, builtOn: builtOn ?? detect().builtOn };
}
