// Finds or fetches OpenLDAP's slapd, the real LDAP server the LDAP authentication tests run against. Order:
// SLAPD_PATH, a system slapd, the per-user cache; else Debian's packages are downloaded (`apt-get download`, no
// root needed once the package lists exist) and unpacked into the cache — nothing is installed system-wide.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../src/local/binaries';

export interface SlapdInstall {
  slapd: string;
  /** Directory of core.schema, cosine.schema, inetorgperson.schema. */
  schemaDir: string;
  /** Where back_mdb is loaded from; null when it is built into slapd. */
  modulePath: string | null;
  /** LD_LIBRARY_PATH for the unpacked shared libraries; null for a system slapd. */
  libraryPath: string | null;
}

const firstExisting = (paths: string[]) => paths.find((path) => existsSync(path)) ?? null;

function systemInstall(slapd: string): SlapdInstall {
  const schemaDir = firstExisting(['/etc/ldap/schema', '/etc/openldap/schema']);
  if (!schemaDir) throw new Error(`${slapd} found, but no schema directory (/etc/ldap/schema, /etc/openldap/schema)`);
  const modules = ['/usr/lib/ldap', '/usr/lib64/openldap', '/usr/lib/openldap', '/usr/libexec/openldap'];
  return {
    slapd,
    schemaDir,
    modulePath: modules.find((dir) => existsSync(join(dir, 'back_mdb.so'))) ?? null,
    libraryPath: null,
  };
}

function unpackedInstall(root: string): SlapdInstall {
  return {
    slapd: join(root, 'usr/sbin/slapd'),
    schemaDir: join(root, 'etc/ldap/schema'),
    modulePath: join(root, 'usr/lib/ldap'),
    libraryPath: [join(root, 'usr/lib/x86_64-linux-gnu'), join(root, 'usr/lib/aarch64-linux-gnu')].join(':'),
  };
}

/** slapd without fetching anything; null when it would have to be downloaded. */
export function findSlapd(env: NodeJS.ProcessEnv = process.env): SlapdInstall | null {
  if (env.SLAPD_PATH) {
    if (!existsSync(env.SLAPD_PATH)) throw new Error(`SLAPD_PATH=${env.SLAPD_PATH} does not exist`);
    return systemInstall(env.SLAPD_PATH);
  }
  const onPath = ['/usr/sbin', '/usr/local/sbin', ...(env.PATH ?? '').split(':')].filter(Boolean);
  const system = firstExisting(onPath.map((dir) => join(dir, 'slapd')));
  if (system) return systemInstall(system);
  const bin = join(cacheRoot(env), 'bin');
  const cached = existsSync(bin)
    ? readdirSync(bin)
        .filter((name) => name.startsWith('slapd-') && !name.endsWith('.partial'))
        .sort()
        .reverse()
    : [];
  return cached.length > 0 ? unpackedInstall(join(bin, cached[0])) : null;
}

const run = (command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** slapd's own package and the shared libraries it links (not Perl: back_perl is never loaded). */
function packagesToDownload(): string[] {
  const depends = run('apt-cache', ['depends', '--no-recommends', '--no-suggests', '--no-pre-depends', 'slapd']);
  const libraries = [...depends.matchAll(/^\s+Depends: (lib[a-z0-9.+-]+)$/gm)].map((match) => match[1]);
  return ['slapd', ...libraries.filter((name) => !/^(libc6|libcrypt1|libperl)/.test(name))];
}

function download(dir: string): void {
  try {
    run('apt-get', ['download', ...packagesToDownload()], dir);
  } catch (error) {
    // A fresh image has no package lists yet; only root may fetch them.
    if (process.getuid?.() !== 0) throw error;
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['download', ...packagesToDownload()], dir);
  }
}

/** Finds slapd, downloading and unpacking Debian's packages into the cache once (idempotent). */
export function ensureSlapd(env: NodeJS.ProcessEnv = process.env): SlapdInstall {
  const found = findSlapd(env);
  if (found) return found;
  try {
    run('apt-get', ['--version']);
  } catch {
    throw new Error('slapd not found and no apt-get to fetch it: install OpenLDAP slapd or set SLAPD_PATH');
  }
  process.stderr.write('[tools] fetching OpenLDAP slapd (Debian packages, unpacked into the cache) …\n');
  const bin = join(cacheRoot(env), 'bin');
  mkdirSync(bin, { recursive: true });
  const downloads = mkdtempSync(join(bin, 'slapd-download-'));
  try {
    download(downloads);
    const debs = readdirSync(downloads).filter((name) => name.endsWith('.deb'));
    const version = /^slapd_([^_]+)_/.exec(debs.find((name) => name.startsWith('slapd_')) ?? '')?.[1];
    if (!version) throw new Error(`apt-get download slapd gave no slapd package (${debs.join(', ')})`);
    const target = join(bin, `slapd-${version.replace(/[^A-Za-z0-9.+-]/g, '_')}`);
    const staging = `${target}.partial`;
    rmSync(staging, { recursive: true, force: true });
    for (const deb of debs) run('dpkg', ['-x', join(downloads, deb), staging]);
    const install = unpackedInstall(staging);
    const missing = run('ldd', [install.slapd], undefined, { ...env, LD_LIBRARY_PATH: install.libraryPath! })
      .split('\n')
      .filter((line) => line.includes('not found'));
    if (missing.length > 0) throw new Error(`slapd still misses libraries: ${missing.join('; ')}`);
    renameSync(staging, target); // atomic: a half-unpacked cache never looks complete
    return unpackedInstall(target);
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}
