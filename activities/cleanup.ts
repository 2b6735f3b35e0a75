// destroyEnvironment: delete everything an environment may own. 404 counts as done; other errors are retried
// by the activity retry policy within the destroy budget.
import { log } from '@temporalio/activity';
import type { EnvironmentNames } from '../workflows/types';
import type { ActivityDeps } from './deps';
import { deleteObject, type ObjectKind } from './objects';

export interface DestroyResult {
  deleted: string[];
}

export function createCleanupActivities(deps: ActivityDeps) {
  return {
    async destroyEnvironment(names: EnvironmentNames): Promise<DestroyResult> {
      const objects: [ObjectKind, string][] = [
        ['Pod', names.podName],
        ['Service', names.serviceName],
        ['Service', names.sshServiceName],
        ...(deps.routeApi ? [['Route', names.routeName] as [ObjectKind, string]] : []),
        ['Secret', names.secretName],
      ];
      const results = await Promise.allSettled(objects.map(([kind, name]) => deleteObject(deps.kube, kind, name)));
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
