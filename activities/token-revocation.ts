// The environment's Secret is the durable record of its Artifactory token: the token is revoked from there before
// the Secret is deleted, and the Secret is marked once revoked so that a retried attempt (after a worker crash)
// does not revoke twice. Used by destroy, by the orphan sweeper and by the create rollback.
import { log } from '@temporalio/activity';
import { revokeArtifactoryToken, type ArtifactoryTokenSource } from './artifactory';
import type { ActivityDeps } from './deps';
import { mergePatch } from './k8s/client';
import { classifyKubeError } from './k8s/errors';
import type { Manifest } from './objects';

/** Annotations on the Secret (never the token itself): where the token came from, its id, whether it is revoked. */
export const TOKEN_SOURCE_ANNOTATION = 'pnc-environment-driver/token-source';
export const TOKEN_ID_ANNOTATION = 'pnc-environment-driver/artifactory-token-id';
export const TOKEN_REVOKED_ANNOTATION = 'pnc-environment-driver/token-revoked';
export const ARTIFACTORY_SOURCE = 'artifactory';

export type RevocationOutcome = 'none' | 'already-revoked' | 'revoked' | 'unknown' | 'unconfigured';

/** The Secret's annotations for a freshly minted token. */
export function tokenAnnotations(tokenId: string | null): Record<string, string> {
  return { [TOKEN_SOURCE_ANNOTATION]: ARTIFACTORY_SOURCE, ...(tokenId ? { [TOKEN_ID_ANNOTATION]: tokenId } : {}) };
}

/** The token a Secret holds, decoded; '' when none. */
export function secretToken(secret: Manifest): string {
  const encoded = secret.data?.accessToken;
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : '';
}

export const holdsArtifactoryToken = (secret: Manifest) =>
  secret.metadata?.annotations?.[TOKEN_SOURCE_ANNOTATION] === ARTIFACTORY_SOURCE;
export const isRevoked = (secret: Manifest) => secret.metadata?.annotations?.[TOKEN_REVOKED_ANNOTATION] === 'true';

/** Revokes a token directly, counting the outcome; throws when Artifactory fails (the caller decides). */
export async function revokeToken(
  deps: ActivityDeps,
  source: ArtifactoryTokenSource,
  token: string,
): Promise<'revoked' | 'unknown'> {
  try {
    const outcome = await revokeArtifactoryToken(deps.outbound, source, token);
    deps.metrics.artifactoryToken(outcome);
    return outcome;
  } catch (error) {
    deps.metrics.artifactoryToken('revoke-failed');
    throw error;
  }
}

/** Marks the Secret revoked; a Secret already gone needs no mark. */
export async function markRevoked(deps: ActivityDeps, name: string): Promise<void> {
  try {
    await deps.kube.core.patchNamespacedSecret(
      {
        name,
        namespace: deps.kube.namespace,
        body: { metadata: { annotations: { [TOKEN_REVOKED_ANNOTATION]: 'true' } } },
      },
      mergePatch,
    );
  } catch (error) {
    if (classifyKubeError(error).kind !== 'NotFound') throw error;
  }
}

/**
 * Revokes the Artifactory token held by the Secret `name`, unless there is none or it is marked revoked, then marks
 * it. Throws when the revoke fails: the Secret is kept, so a later attempt or the orphan sweeper can try again.
 */
export async function revokeSecretToken(deps: ActivityDeps, name: string): Promise<RevocationOutcome> {
  let secret: Manifest;
  try {
    secret = (await deps.kube.core.readNamespacedSecret({ name, namespace: deps.kube.namespace })) as Manifest;
  } catch (error) {
    if (classifyKubeError(error).kind === 'NotFound') return 'none';
    throw error;
  }
  if (!holdsArtifactoryToken(secret)) return 'none';
  if (isRevoked(secret)) return 'already-revoked';
  const token = secretToken(secret);
  if (!token) return 'none';
  if (!deps.artifactory) {
    // Artifactory was switched off since this token was minted: nothing to revoke with; it expires by itself.
    deps.metrics.artifactoryToken('unconfigured');
    log.warn('cannot revoke an Artifactory token: Artifactory is not configured any more', { secret: name });
    return 'unconfigured';
  }
  const outcome = await revokeToken(deps, deps.artifactory, token);
  await markRevoked(deps, name);
  return outcome;
}
