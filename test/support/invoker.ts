// Plays the invoker (dingrogu): the request shapes and headers it really sends.
import type { KubeClients } from '../../activities/k8s/client';
import { environmentNames } from '../../workflows/names';

export const INVOKER_HEADERS = {
  'content-type': 'application/json',
  'log-process-context': 'build-AZQ3L5F6DBAAA',
  'log-tmp': 'false',
  'log-exp': '2026-09-01T00:00:00Z',
  'log-user-id': '42',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

export function createBody(callbackUrl: string | null, overrides: Record<string, unknown> = {}) {
  return {
    environmentLabel: 'azq3l5f6dbaaa',
    completionCallback:
      callbackUrl === null
        ? null
        : {
            method: 'POST',
            uri: callbackUrl,
            headers: [
              { name: 'Content-Type', value: 'application/json' },
              { name: 'Accept', value: 'application/json' },
              { name: 'log-process-context', value: 'build-AZQ3L5F6DBAAA' },
            ],
            attachment: null,
          },
    imageId: 'quay.io/org/builder-rhel-8-j17-mvn3.9:1.0.0',
    repositoryDependencyUrl: 'http://indy/api/content/maven/group/build-AZQ3L5F6DBAAA',
    repositoryDeployUrl: 'http://indy/api/content/maven/hosted/build-AZQ3L5F6DBAAA',
    repositoryBuildContentId: 'build-AZQ3L5F6DBAAA',
    podMemoryOverride: null,
    allowSshDebug: false,
    buildConfigId: '1234',
    sidecarEnabled: false,
    sidecarArchiveEnabled: false,
    ...overrides,
  };
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = INVOKER_HEADERS,
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as any) : null };
}

/** The cluster IP and port the driver will ping, read from the real Service. */
export async function serviceAddress(kube: KubeClients, environmentId: string): Promise<{ ip: string; port: number }> {
  const { serviceName } = environmentNames('', environmentId);
  const service = await kube.core.readNamespacedService({ name: serviceName, namespace: kube.namespace });
  return { ip: service.spec!.clusterIP!, port: service.spec!.ports![0].port };
}

/** Names of the objects still present for an environment (any kind we create; no Routes when `routes` is false). */
export async function remainingObjects(
  kube: KubeClients,
  environmentId: string,
  { routes: withRoutes = true } = {},
): Promise<string[]> {
  const labelSelector = `pnc-environment-id=${environmentId}`;
  const namespace = kube.namespace;
  const [pods, services, secrets, routes] = await Promise.all([
    kube.core.listNamespacedPod({ namespace, labelSelector }),
    kube.core.listNamespacedService({ namespace, labelSelector }),
    kube.core.listNamespacedSecret({ namespace, labelSelector }),
    withRoutes
      ? kube.custom.listNamespacedCustomObject({
          group: 'route.openshift.io',
          version: 'v1',
          plural: 'routes',
          namespace,
          labelSelector,
        })
      : { items: [] },
  ]);
  return [
    ...pods.items.map((o) => `Pod/${o.metadata!.name}`),
    ...services.items.map((o) => `Service/${o.metadata!.name}`),
    ...secrets.items.map((o) => `Secret/${o.metadata!.name}`),
    ...(routes as { items: { metadata: { name: string } }[] }).items.map((o) => `Route/${o.metadata.name}`),
  ];
}

export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}
