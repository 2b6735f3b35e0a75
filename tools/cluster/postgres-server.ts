// One PostgreSQL server on loopback (TCP only, no Unix socket) over a data directory that outlives it: created
// with initdb on first use, reused as is afterwards. Supervised: restarted on the same port and data when it dies.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, startProcess, waitUntil, type ManagedProcess } from '../../src/local/processes';
import { supervise, type Supervised, type SupervisionOptions } from '../../src/local/supervisor';
import type { PostgresBinaries } from '../postgres';

export interface PostgresServer {
  port: number;
  server: Supervised;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Holds `pgdata/` and `postgres.log`; as root, it must be traversable by the `postgres` user. */
  dir: string;
  port?: number;
  supervision?: SupervisionOptions;
}

function initialize(bin: PostgresBinaries, dataDir: string): void {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (bin.runAs) chownSync(dataDir, bin.runAs.uid, bin.runAs.gid);
  // Trust on loopback only: the server listens on 127.0.0.1 and nowhere else (a local cluster, not a deployment).
  execFileSync(bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(bin.runAs ?? {}),
  });
}

/** True once this start of the server logged that it accepts connections (the log is appended to). */
function readySince(logFile: string, offset: number): boolean {
  return readFileSync(logFile, 'utf8').slice(offset).includes('ready to accept connections');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startPostgres(bin: PostgresBinaries, options: PostgresOptions): Promise<PostgresServer> {
  mkdirSync(options.dir, { recursive: true });
  const dataDir = join(options.dir, 'pgdata');
  initialize(bin, dataDir);
  const port = options.port ?? (await freePort());
  const logFile = join(options.dir, 'postgres.log');
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
  ];
  let logOffset = 0;
  const spawn = (): ManagedProcess => {
    logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
    return startProcess('postgres', bin.postgres, args, logFile, { runAs: bin.runAs, stopSignal: 'SIGINT' });
  };
  const server = await supervise(
    {
      name: 'postgres',
      spawn,
      ready: (child) =>
        waitUntil('PostgreSQL', async () => readySince(logFile, logOffset) && (await accepts(port)), 60_000, child),
    },
    options.supervision,
  );
  return { port, server, stop: () => server.stop() };
}
