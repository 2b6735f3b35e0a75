// `npm run build`: compiles src/, workflows/ and activities/ into dist/ (tsc, tsconfig.build.json), copies the
// files they read at run time, and records the commit and build time for /version (dist/build-info.json, written
// last: it marks a complete build). Plain JS so that `npm start` can call it without a TypeScript loader.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, 'build-info.json');
/** What dist/ is made of; a newer file here makes it stale. */
const SOURCES = [
  'src',
  'workflows',
  'activities',
  'tools/kube',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
/** Non-TS files the compiled code reads beside itself (route CRD of the local control plane, the Go module that
 * builds kube-apiserver and etcd when they are missing). */
const ASSETS = ['src/local/manifests', 'tools/kube'];

function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /^[0-9a-f]{40}$/.test(head.trim()) ? head.trim() : null;
  } catch {
    return null;
  }
}

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Why dist/ must be (re)built, or null when it is up to date with the sources and the checkout's HEAD. */
function staleReason() {
  if (!existsSync(STAMP) || !existsSync(join(DIST, 'src', 'main.js'))) return 'dist/ is missing or incomplete';
  const built = statSync(STAMP).mtimeMs;
  const newer = SOURCES.map((path) => join(ROOT, path)).find((path) => existsSync(path) && newestMtime(path) > built);
  if (newer) return `${newer.slice(ROOT.length + 1)} changed since the last build`;
  const head = gitCommit();
  const recorded = JSON.parse(readFileSync(STAMP, 'utf8')).commit;
  if (head !== null && recorded !== head) return `HEAD is ${head}, dist/ was built from ${recorded}`;
  return null;
}

/** Compiles into a fresh directory, then swaps it in: a failed build leaves the previous dist/ alone. */
function build() {
  const staging = join(ROOT, `.dist-build-${process.pid}`);
  try {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', staging], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (compiled.status !== 0) {
      throw new Error(`tsc failed (exit ${compiled.status ?? compiled.signal}):\n${compiled.stdout}${compiled.stderr}`);
    }
    for (const asset of ASSETS) cpSync(join(ROOT, asset), join(staging, asset), { recursive: true });
    const env = (name) => (process.env[name] ?? '').trim();
    const time = env('BUILD_TIME');
    const info = {
      // BUILD_COMMIT: for builds without the .git directory (the Docker build context excludes it).
      commit:
        (env('BUILD_COMMIT') !== '' && env('BUILD_COMMIT') !== 'unknown' ? env('BUILD_COMMIT') : null) ??
        gitCommit() ??
        'unknown',
      builtOn: time !== '' && !Number.isNaN(Date.parse(time)) ? time : new Date().toISOString(),
    };
    writeFileSync(join(staging, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
    return info;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds when stale; returns what was done, for the caller to log. */
function ensureBuilt() {
  const reason = staleReason();
  return reason === null ? { built: false } : { built: true, reason, info: build() };
}

module.exports = { build, ensureBuilt, staleReason, DIST };

if (require.main === module) {
  try {
    const info = build();
    process.stdout.write(`dist/ built from ${info.commit} at ${info.builtOn}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
