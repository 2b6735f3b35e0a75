// destroyEnvironment: delete everything an environment may own. 404 counts as done; other errors are retried
// by the activity retry policy within the destroy budget. The Artifactory token in the Secret is revoked before
// the Secret goes; the pod never waits for that revoke.
import { Context, log } from '@temporalio/activity';
import type { EnvironmentNames } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { deleteObject, type ObjectKind } from './objects';
import { revokeSecretToken } from './token-revocation';

export interface DestroyResult {
  deleted: string[];
}

/**
 * Whether this attempt is about the last of the destroy budget: a revoke that still fails then stops holding the
 * destroy back. Its Secret is kept, and the orphan sweeper retries the revoke once the workflow is over.
 */
function budgetNearlySpent(): boolean {
  const info = Context.current().info;
  const deadline = info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs;
  return !info.scheduleToCloseTimeoutMs || deadline - Date.now() < 2 * info.startToCloseTimeoutMs;
}

/** Revokes the Secret's token, then deletes the Secret; false when the Secret is kept for a later revoke. */
async function revokeThenDelete(deps: ActivityDeps, names: EnvironmentNames): Promise<boolean> {
  try {
    await revokeSecretToken(deps, names.secretName);
  } catch (error) {
    if (!budgetNearlySpent()) throw error;
    log.error('Artifactory token not revoked within the destroy budget; Secret kept for the orphan sweeper', {
      environmentId: names.environmentId,
      error: String(error),
    });
    return false;
  }
  return deleteObject(deps.kube, 'Secret', names.secretName);
}

export function createCleanupActivities(deps: ActivityDeps) {
  return {
    async destroyEnvironment(names: EnvironmentNames): Promise<DestroyResult> {
      const objects: [ObjectKind, string][] = [
        ['Pod', names.podName],
        ['Service', names.serviceName],
        ['Service', names.sshServiceName],
        ...(deps.routeApi ? [['Route', names.routeName] as [ObjectKind, string]] : []),
      ];
      const results = await Promise.allSettled([
        ...objects.map(([kind, name]) => deleteObject(deps.kube, kind, name)),
        revokeThenDelete(deps, names),
      ]);
      objects.push(['Secret', names.secretName]);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      const deleted = objects
        .filter((_, i) => (results[i] as PromiseFulfilledResult<boolean>).value)
        .map(([kind, name]) => `${kind}/${name}`);
      deps.metrics.deleted('destroy', deleted.length);
      log.info('environment destroyed', { environmentId: names.environmentId, deleted });
      return { deleted };
    },
  };
}
