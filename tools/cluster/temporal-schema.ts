// Creates (first time) and migrates (every time; a no-op when current) the two Temporal databases with
// temporal-sql-tool and the versioned PostgreSQL schema of the very server release we run.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TemporalServerBinaries } from '../temporal-server';

const DATABASES = [
  { name: 'temporal', schema: 'temporal' },
  { name: 'temporal_visibility', schema: 'visibility' },
];

async function sqlTool(bin: TemporalServerBinaries, port: number, database: string, args: string[]): Promise<string> {
  const common = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '--port', String(port), '--user', 'postgres'];
  try {
    const { stdout, stderr } = await promisify(execFile)(bin.sqlTool, [...common, '--db', database, ...args], {
      timeout: 120_000,
    });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${stdout}${stderr}`, { cause: error });
  }
}

export async function setupTemporalSchemas(bin: TemporalServerBinaries, postgresPort: number): Promise<void> {
  for (const { name, schema } of DATABASES) {
    try {
      await sqlTool(bin, postgresPort, name, ['create-database']);
    } catch (error) {
      if (!/already exists/.test((error as Error).message)) throw error;
    }
    await sqlTool(bin, postgresPort, name, ['setup-schema', '-v', '0.0']);
    await sqlTool(bin, postgresPort, name, ['update-schema', '-d', join(bin.postgresSchemaDir, schema, 'versioned')]);
  }
}
