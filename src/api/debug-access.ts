// PUT /complete with enableDebug: the query-guarded debug branch. The `status` query answers 404/409 at once (the
// guard); then the workflow's `debug` Update runs the branch and returns host and port, or fails with the reason.
// Nothing is held here, so any replica can answer.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DEBUG_FAILED, debugUpdate, ENVIRONMENT_NOT_READY } from '../../workflows/definitions';
import type { EnvironmentSettings } from '../../workflows/types';
import { environmentStatus } from './environment-status';
import { HttpError } from './errors';

function notReady(environmentId: string, phase: string): HttpError {
  return new HttpError(
    409,
    'EnvironmentNotReadyException',
    `Environment ${environmentId} is ${phase}: debug access needs a Ready environment`,
  );
}

export async function requestDebugAccess(
  client: Client,
  environmentId: string,
  settings: EnvironmentSettings,
): Promise<{ debugHost: string; debugPort: number }> {
  const { phase } = await environmentStatus(client, environmentId);
  if (phase !== 'Ready' && phase !== 'Debugging') throw notReady(environmentId, phase);
  // The branch retries the SSH check for ssh-ping-retry-duration; allow for the object creation on top.
  const deadline = Date.now() + settings.sshPing.durationMs + settings.httpRequestTimeoutMs * 4;
  try {
    const access = await client.connection.withDeadline(deadline, () =>
      client.workflow.getHandle(environmentId).executeUpdate(debugUpdate),
    );
    return { debugHost: access.host, debugPort: access.port };
  } catch (error) {
    throw debugError(error, environmentId, deadline);
  }
}

function debugError(error: unknown, environmentId: string, deadline: number): Error {
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (failure instanceof ApplicationFailure && failure.type === ENVIRONMENT_NOT_READY) {
    return new HttpError(409, 'EnvironmentNotReadyException', failure.message);
  }
  if (failure instanceof ApplicationFailure && failure.type === DEBUG_FAILED) {
    return new HttpError(500, 'DebugFailedException', `Debug access to ${environmentId} failed: ${failure.message}`);
  }
  // Finished between the guard and the Update.
  if (error instanceof WorkflowNotFoundError) return notReady(environmentId, 'Destroyed');
  if (Date.now() >= deadline) {
    return new HttpError(
      504,
      'DebugTimeoutException',
      `Debug access to ${environmentId} was not ready in time; see GET /environments/${environmentId}`,
    );
  }
  return error as Error;
}
