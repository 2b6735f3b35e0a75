// createPodAndService: the "pass-through" part of /create. Pod and service are created in parallel; if one
// is refused, the other is rolled back, so a failed /create leaves nothing behind.
import { ApplicationFailure } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { randomBytes } from 'node:crypto';
import type { EnvironmentInput } from '../workflows/types';
import { INVALID_TEMPLATE } from '../workflows/definitions';
import { fetchIndyToken } from './access-token';
import type { ActivityDeps } from './deps';
import { createFailure } from './k8s/errors';
import { TEMPLATE_PARSE_MESSAGE } from './messages';
import { renderEnvironmentObjects, type EnvironmentObjects, type EnvironmentSecrets } from './environment-objects';
import { createObject, deleteObject, type Manifest } from './objects';
import { TemplateError } from './templates';

const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 10 alphanumeric characters, as the Java driver's `workerUserPassword`. */
export function randomPassword(): string {
  return Array.from(randomBytes(10), (b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join('');
}

/** The environment's objects; a template that cannot render is a non-retryable INVALID_TEMPLATE (400). */
function render(deps: ActivityDeps, input: EnvironmentInput, secrets: EnvironmentSecrets): EnvironmentObjects {
  try {
    return renderEnvironmentObjects(deps, input, secrets);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw ApplicationFailure.nonRetryable(TEMPLATE_PARSE_MESSAGE, INVALID_TEMPLATE, error.message);
    }
    throw error;
  }
}

export function createCreateActivities(deps: ActivityDeps) {
  return {
    async createPodAndService(input: EnvironmentInput): Promise<void> {
      const { kube } = deps;
      const accessToken = deps.indy
        ? await fetchIndyToken(deps.outbound, deps.indy, input.request.repositoryBuildContentId)
        : '';
      const objects = render(deps, input, {
        accessToken,
        workerUserPassword: input.request.allowSshDebug ? randomPassword() : null,
      });
      const kinds = [
        ['Pod', objects.pod],
        ['Service', objects.service],
        ['Secret', objects.secret],
      ] as const;
      const results = await Promise.allSettled(
        kinds.map(([kind, body]) => (body ? createObject(kube, kind, body) : Promise.resolve(null))),
      );
      const failed = results.findIndex((r) => r.status === 'rejected');
      if (failed >= 0) {
        const [kind] = kinds[failed];
        const reason = (results[failed] as PromiseRejectedResult).reason;
        await Promise.all(
          kinds.flatMap(([k, body], i) =>
            results[i].status === 'fulfilled' && body ? [deleteObject(kube, k, body.metadata.name)] : [],
          ),
        );
        log.warn('create refused; rolled back what was created', { environmentId: input.names.environmentId, kind });
        throw createFailure(reason, `${kind} ${kinds[failed][1]?.metadata?.name}`);
      }
      const pod = (results[0] as PromiseFulfilledResult<Manifest>).value;
      if (objects.secret) {
        // The secret dies with the pod even if nobody runs our destroy.
        await kube.core.patchNamespacedSecret({
          name: input.names.secretName,
          namespace: kube.namespace,
          body: [{ op: 'add', path: '/metadata/ownerReferences', value: [podOwnerReference(pod)] }],
        });
      }
    },
  };
}

export function podOwnerReference(pod: Manifest) {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid, blockOwnerDeletion: false };
}
