// Counts TLS connections this process opens. Only client-node speaks TLS here (to the kube-apiserver; Temporal
// goes through the SDK's native core), so this is the number of apiserver connections set up per phase.
import tls from 'node:tls';

let opened = 0;
let installed = false;

export function countTlsConnections(): void {
  if (installed) return;
  installed = true;
  const connect = tls.connect;
  (tls as { connect: typeof tls.connect }).connect = function countedConnect(this: unknown, ...args: unknown[]) {
    opened++;
    return (connect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  } as typeof tls.connect;
}

export const tlsConnectionsOpened = () => opened;
