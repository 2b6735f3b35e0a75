// Whether the cluster serves OpenShift Routes. A plain Kubernetes cluster answers 404 for the group; the driver
// then skips every route step (debug answers with build-agent.host and the ssh NodePort instead).
import { ROUTE_GROUP, type KubeClients } from './client';
import { classifyKubeError } from './errors';

export interface RouteApiProbe {
  served: boolean;
  /** Why discovery could not tell (the driver then assumes Routes are served, as before); null when it could. */
  error: string | null;
}

/** Discovery: GET /apis/route.openshift.io/v1 and look for the `routes` resource. */
export async function probeRouteApi(kube: KubeClients): Promise<RouteApiProbe> {
  try {
    const list = await kube.custom.getAPIResources({ group: ROUTE_GROUP.group, version: ROUTE_GROUP.version });
    return { served: list.resources.some((r) => r.name === ROUTE_GROUP.plural), error: null };
  } catch (error) {
    const classified = classifyKubeError(error);
    if (classified.kind === 'NotFound') return { served: false, error: null };
    return { served: true, error: classified.message };
  }
}
