// The production engine for tests: PostgreSQL (npm package binaries) and the Temporal server built from the Go
// module proxy, all services in one process, in a fresh directory that outlives restarts of either.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../../tools/cluster/postgres-server';
import { setupTemporalSchemas } from '../../tools/cluster/temporal-schema';
import { startTemporalServer, type TemporalServer } from '../../tools/cluster/temporal-server-process';
import { ensurePostgres } from '../../tools/postgres';
import { ensureTemporalServer } from '../../tools/temporal-server';

export interface PostgresTemporal {
  dir: string;
  postgres: PostgresServer;
  temporal: TemporalServer;
  stop(): Promise<void>;
}

/** Building the server the first time takes minutes: `npm run tools` does it before the tests. */
export const FIRST_START_TIMEOUT_MS = 15 * 60_000;

export async function startPostgresTemporal(prefix = 'env-driver-pg-'): Promise<PostgresTemporal> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data directory
  const [pgBin, temporalBin] = [ensurePostgres(), await ensureTemporalServer()];
  const postgres = await startPostgres(pgBin, { dir: join(dir, 'postgres') });
  let temporal: TemporalServer;
  try {
    await setupTemporalSchemas(temporalBin, postgres.port);
    temporal = await startTemporalServer(temporalBin, { dir: join(dir, 'temporal'), postgresPort: postgres.port });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return {
    dir,
    postgres,
    temporal,
    /** Stops both and removes the directory (databases and logs). */
    async stop() {
      await temporal.stop();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
