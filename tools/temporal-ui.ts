// Finds or builds the Temporal Web UI server (github.com/temporalio/ui-server, the UI's assets embedded), the
// release the Temporal CLI's dev server embeds, from the Go module proxy into the per-user cache (~30 s when the
// Temporal server's dependencies are already compiled). TEMPORAL_UI_PATH overrides.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../src/local/binaries';
import { goInstall, log } from './temporal-server';

export const TEMPORAL_UI_VERSION = 'v2.42.1';

export function findTemporalUi(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_UI_PATH) {
    if (!existsSync(env.TEMPORAL_UI_PATH)) throw new Error(`TEMPORAL_UI_PATH=${env.TEMPORAL_UI_PATH} does not exist`);
    return env.TEMPORAL_UI_PATH;
  }
  const cached = join(cacheRoot(env), 'bin', `temporal-ui-${TEMPORAL_UI_VERSION}`, 'temporal-ui-server');
  return existsSync(cached) ? cached : null;
}

export async function ensureTemporalUi(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = findTemporalUi(env);
  if (found) return found;
  const dir = join(cacheRoot(env), 'bin', `temporal-ui-${TEMPORAL_UI_VERSION}`);
  const staging = `${dir}.partial`;
  mkdirSync(staging, { recursive: true });
  log(`building the Temporal Web UI server ${TEMPORAL_UI_VERSION} (first time only) …`);
  const pkg = `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`;
  await goInstall(
    ['install', '-trimpath', '-ldflags=-s -w', pkg],
    { ...env, GOBIN: staging, GOFLAGS: '-buildvcs=false' },
    'the Temporal Web UI',
  );
  renameSync(join(staging, 'server'), join(staging, 'temporal-ui-server'));
  renameSync(staging, dir);
  return join(dir, 'temporal-ui-server');
}
