// The Temporal server on PostgreSQL: frontend, history, matching and worker services in one supervised process,
// on loopback ports chosen once (restarts reuse them). Every start makes sure the namespace and the driver's
// search attributes exist, and is ready only once a visibility query on them answers.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';
import { freePort, startProcess, waitUntil } from '../../src/local/processes';
import { supervise, type Supervised, type SupervisionOptions } from '../../src/local/supervisor';
import type { TemporalServerBinaries } from '../temporal-server';
import { writeTemporalConfig, type TemporalPorts } from './temporal-config';

export interface TemporalServer {
  address: string;
  namespace: string;
  metricsUrl: string;
  server: Supervised;
  stop(): Promise<void>;
}

export interface TemporalServerOptions {
  dir: string;
  postgresPort: number;
  /** Frontend gRPC port; a free one by default. */
  port?: number;
  namespace?: string;
  supervision?: SupervisionOptions;
}

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const RETENTION = '3 days';

/** Free, and below 32768: Temporal stores membership ports in a PostgreSQL smallint. */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
}

async function ports(frontend?: number): Promise<TemporalPorts> {
  const next = () => freePort();
  const ring = () => freeMembershipPort();
  return {
    frontend: frontend ?? (await next()),
    frontendHttp: await next(),
    history: await next(),
    matching: await next(),
    worker: await next(),
    membership: [await ring(), await ring(), await ring(), await ring()],
    metrics: await next(),
  };
}

/** Registers what is missing; true once the namespace answers a query on our search attributes. */
async function prepared(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await connection.workflowService.describeNamespace({ namespace }).catch(async (error: { code?: number }) => {
      if (error.code !== 5) throw error; // NOT_FOUND: a new database
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(RETENTION),
      });
    });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in customAttributes));
    if (missing.length > 0) {
      const searchAttributes = Object.fromEntries(missing.map((name) => [name, KEYWORD]));
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    }
    const query = Object.keys(SEARCH_ATTRIBUTES)
      .map((name) => `${name} = 'ready'`)
      .join(' AND ');
    await connection.workflowService.countWorkflowExecutions({ namespace, query });
    return true;
  } finally {
    await connection.close();
  }
}

export async function startTemporalServer(
  bin: TemporalServerBinaries,
  options: TemporalServerOptions,
): Promise<TemporalServer> {
  mkdirSync(options.dir, { recursive: true });
  const namespace = options.namespace ?? 'default';
  const chosen = await ports(options.port);
  writeTemporalConfig(options.dir, options.postgresPort, chosen);
  const address = `127.0.0.1:${chosen.frontend}`;
  const args = ['--root', options.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'];
  const server = await supervise(
    {
      name: 'temporal-server',
      spawn: () => startProcess('temporal-server', bin.server, args, join(options.dir, 'temporal-server.log')),
      ready: (child) => waitUntil('Temporal server', () => prepared(address, namespace), 120_000, child),
    },
    options.supervision,
  );
  return {
    address,
    namespace,
    metricsUrl: `http://127.0.0.1:${chosen.metrics}/metrics`,
    server,
    stop: () => server.stop(),
  };
}
