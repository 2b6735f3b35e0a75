// sweepOrphans: deletes objects labelled as ours whose environment workflow is not running. Used by the orphan
// reaper (everything of ours, older than a grace) and by complete-by-label (that label, no grace). A live
// environment is never touched: its workflow is asked first. An orphan Secret's Artifactory token is revoked first.
import { Context, log } from '@temporalio/activity';
import { LABEL_DEPLOYMENT, LABEL_ENVIRONMENT_ID, LABEL_MANAGED_BY, MANAGED_BY, type ActivityDeps } from './deps';
import { classifyKubeError } from './k8s/errors';
import { deleteObject, listObjects, type ObjectKind } from './objects';
import { revokeSecretToken } from './token-revocation';
import type { SweepInput, SweepResult } from '../workflows/types';

export type { SweepInput, SweepResult };

interface Found {
  kind: ObjectKind;
  name: string;
  createdAt: number;
}

interface Listing {
  byEnvironment: Map<string, Found[]>;
  failures: string[];
}

/**
 * Lists every kind at once and settles them all: a kind whose list fails (a cluster without the Route API, a
 * missing RBAC verb) is reported, never left as a floating rejection that would take the whole process down.
 */
async function listOurs(deps: ActivityDeps, selector: string): Promise<Listing> {
  const { kube } = deps;
  const labelSelector = [`${LABEL_MANAGED_BY}=${MANAGED_BY}`, `${LABEL_DEPLOYMENT}=${deps.deployment}`, selector]
    .filter(Boolean)
    .join(',');
  const kinds: ObjectKind[] = deps.routeApi ? ['Pod', 'Service', 'Secret', 'Route'] : ['Pod', 'Service', 'Secret'];
  const settled = await Promise.allSettled(kinds.map((kind) => listObjects(kube, kind, labelSelector)));
  const listing: Listing = { byEnvironment: new Map(), failures: [] };
  settled.forEach((outcome, i) => {
    const kind = kinds[i];
    if (outcome.status === 'rejected') {
      listing.failures.push(`${kind}: ${classifyKubeError(outcome.reason).message}`);
      return;
    }
    for (const item of outcome.value) {
      const id = item.metadata?.labels?.[LABEL_ENVIRONMENT_ID] ?? `unlabelled:${item.metadata?.name}`;
      const found = {
        kind,
        name: item.metadata!.name,
        createdAt: Date.parse(item.metadata?.creationTimestamp ?? '') || 0,
      };
      listing.byEnvironment.set(id, [...(listing.byEnvironment.get(id) ?? []), found]);
    }
  });
  // Nothing listed at all (apiserver unreachable): fail, so the activity is retried and the run shows it.
  if (listing.failures.length === kinds.length) throw new Error(`Cannot list any kind: ${listing.failures.join('; ')}`);
  return listing;
}

/** Revokes an orphan Secret's Artifactory token; false keeps the Secret (and its token) for the next sweep. */
async function revokedOrKept(deps: ActivityDeps, secretName: string): Promise<boolean> {
  try {
    await revokeSecretToken(deps, secretName);
    return true;
  } catch (error) {
    log.warn('orphan Secret kept: its Artifactory token could not be revoked', { secretName, error: String(error) });
    return false;
  }
}

export function createSweeperActivities(deps: ActivityDeps) {
  return {
    async sweepOrphans(input: SweepInput): Promise<SweepResult> {
      const { byEnvironment, failures } = await listOurs(deps, input.labelSelector);
      const result: SweepResult = {
        environmentsSeen: 0,
        skippedLive: 0,
        skippedYoung: 0,
        deleted: [],
        listFailures: failures,
      };
      if (failures.length) log.warn('orphan sweep could not list some kinds', { failures });
      const now = Date.now();
      for (const [environmentId, objects] of byEnvironment) {
        Context.current().heartbeat(environmentId);
        result.environmentsSeen++;
        if (objects.some((o) => now - o.createdAt < input.olderThanMs)) {
          result.skippedYoung++;
        } else if (await deps.isEnvironmentRunning(environmentId)) {
          result.skippedLive++;
        } else {
          for (const object of objects) {
            if (object.kind === 'Secret' && !(await revokedOrKept(deps, object.name))) continue;
            if (await deleteObject(deps.kube, object.kind, object.name))
              result.deleted.push(`${object.kind}/${object.name}`);
          }
        }
      }
      deps.metrics.deleted('sweeper', result.deleted.length);
      log.info('orphan sweep done', { ...result, deleted: result.deleted.length, selector: input.labelSelector });
      return result;
    },
  };
}
