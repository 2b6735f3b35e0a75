// A real OpenLDAP slapd on a loopback port (tools/slapd.ts finds or fetches it), with a throw-away directory: an
// mdb database in a temp dir, the entries added over LDAP by the root DN. Its stats log (`-d 256`) tells which
// DNs bound, so a test can count the binds a request caused.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { ensureSlapd } from '../../tools/slapd';

export const LDAP_SUFFIX = 'dc=example,dc=org';
const ROOT_DN = `cn=admin,${LDAP_SUFFIX}`;
const ROOT_PASSWORD = 'root-secret';
const MARKER_DN = `cn=log-marker,${LDAP_SUFFIX}`;

export interface LdapServer {
  url: string;
  /** Binds logged for this DN so far, counted after every earlier operation has been logged. */
  binds(dn: string): Promise<number>;
  /** Stops slapd (LDAP down); `start` brings it back on the same port with the same data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops slapd and removes its files. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(dir: string, install: ReturnType<typeof ensureSlapd>): string {
  return [
    ...['core', 'cosine', 'inetorgperson'].map((name) => `include ${join(install.schemaDir, `${name}.schema`)}`),
    ...(install.modulePath ? [`modulepath ${install.modulePath}`, 'moduleload back_mdb'] : []),
    `pidfile ${join(dir, 'slapd.pid')}`,
    // Like many directories: a bind with a DN and an empty password succeeds (as anonymous), and anonymous may
    // read groups (below) — so a driver that passed an empty password on would let anybody in.
    'allow bind_anon_cred',
    'database mdb',
    'maxsize 16777216',
    `suffix "${LDAP_SUFFIX}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${ROOT_PASSWORD}`,
    `directory ${join(dir, 'db')}`,
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by * read',
    '',
  ].join('\n');
}

/** Starts slapd and adds `entries` (DN → attributes) in order, under the suffix entry it creates itself. */
export async function startLdapServer(entries: [string, Record<string, string | string[]>][]): Promise<LdapServer> {
  const install = ensureSlapd();
  const dir = mkdtempSync(join(tmpdir(), 'env-driver-slapd-'));
  mkdirSync(join(dir, 'db')); // mdb wants an existing directory
  const confFile = join(dir, 'slapd.conf');
  writeFileSync(confFile, config(dir, install));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    const env = { ...process.env, ...(install.libraryPath ? { LD_LIBRARY_PATH: install.libraryPath } : {}) };
    const started = spawn(install.slapd, ['-f', confFile, '-h', `${url}/`, '-d', '256'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    started.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      started.once('exit', (code) => reject(new Error(`slapd exited (${code}) while starting:\n${log.slice(-2000)}`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const client = new Client({ url, connectTimeout: 1000, timeout: 2000 });
      try {
        await Promise.race([client.bind(ROOT_DN, ROOT_PASSWORD), exited]);
        return;
      } catch (error) {
        if (Date.now() > deadline || started.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }
  };

  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  await start();
  const admin = new Client({ url, timeout: 5000, connectTimeout: 5000 });
  try {
    await admin.bind(ROOT_DN, ROOT_PASSWORD);
    await admin.add(LDAP_SUFFIX, { objectClass: ['dcObject', 'organization'], o: 'example', dc: 'example' });
    await admin.add(MARKER_DN, { objectClass: 'person', cn: 'log-marker', sn: 'marker', userPassword: 'marker' });
    for (const [dn, attributes] of entries) await admin.add(dn, attributes);
  } finally {
    await admin.unbind().catch(() => undefined);
  }

  /** Binds as the marker and waits for its line: every operation answered before is then in `log`. */
  const flushLog = async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    const client = new Client({ url, timeout: 5000, connectTimeout: 5000 });
    try {
      await client.bind(MARKER_DN, 'marker');
      await client.search(LDAP_SUFFIX, { filter: `(cn=${marker})`, scope: 'sub' });
    } finally {
      await client.unbind().catch(() => undefined);
    }
    for (let tries = 0; !log.includes(marker); tries++) {
      if (tries > 100) throw new Error('slapd never logged the marker search');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    url,
    binds: async (dn) => {
      await flushLog();
      return log.split('\n').filter((line) => line.includes(` BIND dn="${dn}" method=128`)).length;
    },
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
