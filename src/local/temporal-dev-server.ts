// The Temporal CLI's dev server (SQLite, Web UI built in) on loopback, with our search attributes.
import { Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { freePort, startProcess, waitUntil } from './processes';
import { supervise, type Supervised, type SupervisionOptions } from './supervisor';

export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  /** Restarted on the same ports and SQLite file when it dies (an in-memory server comes back empty). */
  server: Supervised;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  port?: number;
  /** Web UI port; null runs headless. */
  uiPort?: number | null;
  logDir: string;
}

export async function startTemporalDevServer(
  temporalCli: string,
  options: DevServerOptions,
  supervision: SupervisionOptions = {},
): Promise<TemporalDevServer> {
  mkdirSync(options.logDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'warn',
    '--namespace',
    'default',
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless', '--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  // The dev server has one history shard whose transfer queue is read at most 20 times a second by default:
  // every workflow→activity hand-off then waits up to 50 ms. Production clusters spread this over many shards.
  args.push('--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000');
  const address = `127.0.0.1:${port}`;
  const server = await supervise(
    {
      name: 'temporal',
      spawn: () => startProcess('temporal', temporalCli, args, join(options.logDir, 'temporal.log')),
      ready: (child) => waitUntil('Temporal dev server', () => answers(address), 60_000, child),
    },
    supervision,
  );
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    server,
    stop: () => server.stop(),
  };
}

async function answers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}
