// PUT /complete with enableDebug: signal the environment's debug branch, then wait (bounded) on its `status`
// query until the answer to this request is published. Any replica can do this: nothing is held here.
import type { Client } from '@temporalio/client';
import { completeSignal } from '../../workflows/definitions';
import type { EnvironmentSettings } from '../../workflows/types';
import { environmentStatus } from './environment-status';
import { HttpError } from './errors';

const POLL_MS = 100;

export async function requestDebugAccess(
  client: Client,
  environmentId: string,
  settings: EnvironmentSettings,
): Promise<{ debugHost: string; debugPort: number }> {
  const before = await environmentStatus(client, environmentId);
  if (before.phase !== 'Ready' && before.phase !== 'Debugging') {
    throw new HttpError(
      409,
      'EnvironmentNotReadyException',
      `Environment ${environmentId} is ${before.phase}: debug access needs a Ready environment`,
    );
  }
  const mine = (before.debug?.generation ?? 0) + 1;
  await client.workflow.getHandle(environmentId).signal(completeSignal, { enableDebug: true });
  // The workflow retries the SSH check for ssh-ping-retry-duration; allow for the object creation on top.
  const deadline = Date.now() + settings.sshPing.durationMs + settings.httpRequestTimeoutMs * 4;
  while (Date.now() < deadline) {
    const debug = (await environmentStatus(client, environmentId)).debug;
    if (debug && debug.answeredGeneration >= mine && debug.state !== 'Requested') {
      if (debug.state === 'Ready' && debug.host && debug.port) return { debugHost: debug.host, debugPort: debug.port };
      throw new HttpError(
        500,
        'DebugFailedException',
        `Debug access to ${environmentId} failed: ${debug.error ?? 'unknown error'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new HttpError(
    504,
    'DebugTimeoutException',
    `Debug access to ${environmentId} was not ready in time; see GET /environments/${environmentId}`,
  );
}
