// Temporal connection settings as every Temporal user expects them: address, namespace, TLS files, API key.
import { readFileSync } from 'node:fs';
import type { PayloadCodec } from '@temporalio/common';
import type { DriverConfig } from '../config';
import { payloadCodecs } from './codec';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | boolean;
  apiKey?: string;
  payloadCodecs: PayloadCodec[];
}

export function temporalTarget(config: DriverConfig['temporal'], address: string): TemporalTarget {
  const target: TemporalTarget = {
    address,
    namespace: config.namespace,
    payloadCodecs: payloadCodecs(config.payloadCodecKey),
  };
  const tls = config.tls;
  if (tls) {
    target.tls = {
      ...(tls.clientCertPath && tls.clientKeyPath
        ? { clientCertPair: { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) } }
        : {}),
      ...(tls.serverCaCertPath ? { serverRootCACertificate: readFileSync(tls.serverCaCertPath) } : {}),
    };
  }
  if (config.apiKey) {
    target.apiKey = config.apiKey;
    target.tls ??= true; // API keys are only sent over TLS
  }
  return target;
}
