// Object names of an environment (contract §3.1). Pure: used by the REST adapter, activities and tests.
import type { EnvironmentNames } from './types';

export function environmentNames(environmentLabel: string, environmentId: string): EnvironmentNames {
  return {
    environmentId,
    environmentLabel,
    podName: `pnc-ba-pod-${environmentId}`,
    serviceName: `pnc-ba-service-${environmentId}`,
    sshServiceName: `pnc-ba-ssh-${environmentId}`,
    routeName: `pnc-ba-route-${environmentId}`,
    secretName: `pnc-ba-secret-${environmentId}`,
    contextPath: `/pnc-ba-${environmentId}`,
  };
}
