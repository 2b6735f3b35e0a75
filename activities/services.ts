// The build agent's address: the Service's cluster IP and first port, as the Java driver reads it.
import type { RetryBudget } from '../workflows/types';
import { retryUntil } from './backoff';
import type { KubeClients } from './k8s/client';

/** `<scheme>://<clusterIP>:<ports[0].port>`; throws BudgetExhausted when it never gets an address. */
export function awaitServiceAddress(
  kube: KubeClients,
  serviceName: string,
  scheme: string,
  budget: RetryBudget,
  deadline: number,
  signal: AbortSignal,
): Promise<string> {
  return retryUntil(
    async () => {
      const service = await kube.core.readNamespacedService({ name: serviceName, namespace: kube.namespace });
      const ip = service.spec?.clusterIP;
      const port = service.spec?.ports?.[0]?.port;
      if (!ip || ip === 'None' || !port) throw new Error(`Service ${serviceName} has no cluster IP and port yet.`);
      return `${scheme}://${ip}:${port}`;
    },
    budget,
    deadline,
    signal,
    `Service ${serviceName} is not running.`,
  );
}
