// createPodAndService: the "pass-through" part of /create. Pod and service are created in parallel; if one
// is refused, the other is rolled back, so a failed /create leaves nothing behind: no object, no live token.
import { ApplicationFailure } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { randomBytes } from 'node:crypto';
import type { EnvironmentInput } from '../workflows/types';
import { INVALID_TEMPLATE } from '../workflows/definitions';
import { fetchIndyToken } from './access-token';
import type { MintedToken } from './artifactory';
import { mintToken, placeToken, revokeUnused } from './create-token';
import type { ActivityDeps } from './deps';
import { createFailure } from './k8s/errors';
import { TEMPLATE_PARSE_MESSAGE } from './messages';
import { renderEnvironmentObjects, type EnvironmentObjects, type EnvironmentSecrets } from './environment-objects';
import { createObject, deleteObject, type Manifest, type ObjectKind } from './objects';
import { TemplateError } from './templates';
import { revokeSecretToken, tokenAnnotations } from './token-revocation';

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
      const { request } = input;
      const minted = deps.artifactory
        ? await mintToken(deps, deps.artifactory, request.repositoryBuildContentId)
        : null;
      const accessToken =
        minted?.token ??
        (deps.indy ? await fetchIndyToken(deps.outbound, deps.indy, request.repositoryBuildContentId) : '');
      const placed = { stored: false };
      try {
        await createObjects(deps, input, { accessToken, minted, placed });
      } finally {
        // A token that ended up in no Secret (create refused, or an earlier attempt's Secret won) is useless: revoke.
        if (minted && !placed.stored) await revokeUnused(deps, minted.token, input.names.environmentId);
      }
    },
  };
}

interface TokenPlacement {
  accessToken: string;
  minted: MintedToken | null;
  /** Set once the minted token is in the environment's Secret, whose destroy revokes it. */
  placed: { stored: boolean };
}

/** Pod, service and Secret in parallel; if one is refused, the others are rolled back (Secret: token revoked). */
async function createObjects(deps: ActivityDeps, input: EnvironmentInput, token: TokenPlacement): Promise<void> {
  const { kube } = deps;
  const objects = render(deps, input, {
    accessToken: token.accessToken,
    workerUserPassword: input.request.allowSshDebug ? randomPassword() : null,
  });
  if (objects.secret && token.minted) {
    objects.secret.metadata.annotations = {
      ...objects.secret.metadata.annotations,
      ...tokenAnnotations(token.minted.tokenId),
    };
  }
  const kinds = [
    ['Pod', objects.pod],
    ['Service', objects.service],
    ['Secret', objects.secret],
  ] as const;
  const results = await Promise.allSettled(
    kinds.map(([kind, body]) => (body ? createObject(kube, kind, body) : Promise.resolve(null))),
  );
  const secret = results[2];
  if (token.minted && secret.status === 'fulfilled' && secret.value) {
    token.placed.stored = await placeToken(deps, secret.value, token.minted);
  }
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    const [kind] = kinds[failed];
    const reason = (results[failed] as PromiseRejectedResult).reason;
    await Promise.all(
      kinds.flatMap(([k, body], i) =>
        results[i].status === 'fulfilled' && body ? [rollback(deps, k, body.metadata.name)] : [],
      ),
    );
    log.warn('create refused; rolled back what was created', { environmentId: input.names.environmentId, kind });
    throw createFailure(reason, `${kind} ${kinds[failed][1]?.metadata?.name}`);
  }
  const pod = (results[0] as PromiseFulfilledResult<Manifest>).value;
  // The secret dies with the pod even if nobody runs our destroy; not one holding an Artifactory token: that
  // Secret is the token's only record, kept until our destroy or the orphan sweeper has revoked the token.
  if (objects.secret && !token.minted) {
    await kube.core.patchNamespacedSecret({
      name: input.names.secretName,
      namespace: kube.namespace,
      body: [{ op: 'add', path: '/metadata/ownerReferences', value: [podOwnerReference(pod)] }],
    });
  }
}

/**
 * Deletes an object created by a refused create; a Secret's token is revoked first. A Secret whose token cannot be
 * revoked now is kept (the workflow ends, so the orphan sweeper revokes and deletes it later): the create error
 * stays the one the caller sees.
 */
async function rollback(deps: ActivityDeps, kind: ObjectKind, name: string): Promise<void> {
  if (kind === 'Secret') {
    try {
      await revokeSecretToken(deps, name);
    } catch (error) {
      log.error('rollback kept a Secret whose token could not be revoked', { secret: name, error: String(error) });
      return;
    }
  }
  await deleteObject(deps.kube, kind, name);
}

export function podOwnerReference(pod: Manifest) {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid, blockOwnerDeletion: false };
}
