// The Temporal Web UI for the cluster's Temporal server, on loopback, supervised. With `codecEndpoint` (an API
// replica's /codec) the UI shows encrypted payloads decoded, as in docker-compose.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startProcess, waitUntil } from '../../src/local/processes';
import { supervise, type Supervised, type SupervisionOptions } from '../../src/local/supervisor';

export interface TemporalUi {
  url: string;
  server: Supervised;
}

export interface TemporalUiOptions {
  dir: string;
  temporalAddress: string;
  namespace: string;
  port: number;
  codecEndpoint?: string;
  supervision?: SupervisionOptions;
}

export async function startTemporalUi(binary: string, options: TemporalUiOptions): Promise<TemporalUi> {
  const configDir = join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    auth: { enabled: false },
    ...(options.codecEndpoint ? { codec: { endpoint: options.codecEndpoint } } : {}),
  };
  writeFileSync(join(configDir, 'base.yaml'), stringify(config));
  writeFileSync(join(configDir, 'cluster.yaml'), stringify(config));
  const url = `http://127.0.0.1:${options.port}`;
  const args = ['--root', options.dir, '--config', 'config', '--env', 'cluster', 'start'];
  const server = await supervise(
    {
      name: 'temporal-ui',
      spawn: () => startProcess('temporal-ui', binary, args, join(options.dir, 'temporal-ui.log')),
      ready: (child) =>
        waitUntil(
          'Temporal Web UI',
          async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok,
          60_000,
          child,
        ),
    },
    options.supervision,
  );
  return { url, server };
}
