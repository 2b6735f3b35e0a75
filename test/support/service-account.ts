// Acting as a ServiceAccount on the test kube-apiserver: server-side apply of rendered manifests (as an admin
// would), a token from the TokenRequest API, a kubeconfig holding it, and the RBAC authorizer's answers for it.
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig, PatchStrategy } from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';
import type { Access } from './driver-rbac';
import type { Manifest } from './manifests';
import { stackInfo } from './stack';

export const FIELD_MANAGER = 'environment-driver-deploy';

/** `kubectl apply --server-side --force-conflicts`, object by object; returns what the apiserver stored. */
export async function applyServerSide(admin: KubeClients, objects: Manifest[]): Promise<Manifest[]> {
  const applied: Manifest[] = [];
  for (const object of objects) {
    applied.push(
      await admin.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }
  return applied;
}

/**
 * A kubeconfig that authenticates as `system:serviceaccount:<namespace>:<name>` with a TokenRequest token (the
 * API's audience, one hour), for the same apiserver as the admin kubeconfig; its context namespace is `namespace`.
 */
export async function serviceAccountKubeconfig(admin: KubeClients, name: string): Promise<string> {
  const { status } = await admin.core.createNamespacedServiceAccountToken({
    name,
    namespace: admin.namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const stack = stackInfo();
  const config = JSON.parse(readFileSync(stack.kubeconfig, 'utf8'));
  config.users = [{ name, user: { token: status!.token } }];
  config.contexts = [{ name: 'local', context: { cluster: 'local', user: name, namespace: admin.namespace } }];
  const path = join(stack.workDir, `kubeconfig-${admin.namespace}-${name}`);
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

/** The clients of a kubeconfig, bound to another namespace. */
export const clientsIn = (kubeconfig: string, namespace: string): KubeClients =>
  createKubeClients({ kubeconfig, namespace });

/** Whether the RBAC authorizer lets this kubeconfig's user do `access` (SelfSubjectAccessReview). */
export async function allowed(kubeconfig: string, defaultNamespace: string, access: Access): Promise<boolean> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const review = await config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      spec: {
        resourceAttributes: {
          verb: access.verb,
          resource: access.resource,
          group: access.group ?? '',
          subresource: access.subresource,
          namespace: access.namespace ?? defaultNamespace,
        },
      },
    },
  });
  return review.status?.allowed === true;
}

/** Who the apiserver says this kubeconfig is (SelfSubjectReview). */
export async function whoAmI(kubeconfig: string): Promise<string | undefined> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const review = await config.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
  return review.status?.userInfo?.username;
}
