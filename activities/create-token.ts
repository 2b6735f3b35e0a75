// The Artifactory token of a create (contract §3.9): minted before the objects, then either stored in the
// environment's Secret (whose destroy revokes it) or revoked at once, so a refused or retried create leaks none.
import { log } from '@temporalio/activity';
import { mintArtifactoryToken, type ArtifactoryTokenSource, type MintedToken } from './artifactory';
import type { ActivityDeps } from './deps';
import { mergePatch } from './k8s/client';
import type { Manifest } from './objects';
import { isRevoked, revokeToken, secretToken, TOKEN_ID_ANNOTATION, TOKEN_REVOKED_ANNOTATION } from './token-revocation';

export async function mintToken(deps: ActivityDeps, source: ArtifactoryTokenSource, buildContentId: string | null) {
  try {
    const minted = await mintArtifactoryToken(deps.outbound, source, buildContentId);
    deps.metrics.artifactoryToken('minted');
    return minted;
  } catch (error) {
    deps.metrics.artifactoryToken('mint-failed');
    throw error;
  }
}

/**
 * Whether `token` is the one the Secret holds. An earlier attempt (a retried first workflow task) may have
 * created the Secret with its own token: that one stays; ours is then unused. A Secret whose token was already
 * revoked by a rolled-back attempt gets ours instead.
 */
export async function placeToken(deps: ActivityDeps, secret: Manifest, minted: MintedToken): Promise<boolean> {
  if (secretToken(secret) === minted.token) return true;
  if (!isRevoked(secret)) return false;
  await deps.kube.core.patchNamespacedSecret(
    {
      name: secret.metadata.name,
      namespace: deps.kube.namespace,
      body: {
        metadata: { annotations: { [TOKEN_REVOKED_ANNOTATION]: null, [TOKEN_ID_ANNOTATION]: minted.tokenId } },
        stringData: { accessToken: minted.token },
      },
    },
    mergePatch,
  );
  return true;
}

/** A few quick tries; a token that still cannot be revoked is logged and counted (it expires by itself). */
export async function revokeUnused(deps: ActivityDeps, token: string, environmentId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await revokeToken(deps, deps.artifactory!, token);
      return;
    } catch (error) {
      if (attempt >= 3) {
        log.error('could not revoke an unused Artifactory token', { environmentId, error: (error as Error).message });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
