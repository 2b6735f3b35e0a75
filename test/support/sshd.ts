// Plays sshd for debug access: accepts TCP connections on the NodePort the apiserver allocated.
import { createServer, type Server } from 'node:net';
import type { KubeClients } from '../../activities/k8s/client';
import { eventually } from './invoker';

export function listenTcp(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined); // the driver's check hangs up at once
      socket.end('SSH-2.0-test\r\n');
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** The NodePort of the ssh service, once the debug branch has created it. */
export async function sshNodePort(kube: KubeClients, sshServiceName: string): Promise<number> {
  return eventually('ssh service', async () => {
    const service = await kube.core.readNamespacedService({ name: sshServiceName, namespace: kube.namespace });
    return service.spec?.ports?.find((p) => p.name === '2222-ssh')?.nodePort;
  });
}
