// The Temporal client the REST adapter uses: stateless, so any replica can serve any request.
import type { Tracer } from '@opentelemetry/api';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { TemporalTarget } from './connection';

/** `tracer`: tracing is on; starting a workflow is a span whose context travels in the workflow's headers. */
export async function connectClient(target: TemporalTarget, tracer?: Tracer): Promise<Client> {
  const connection = await Connection.connect({
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
  });
  return new Client({
    connection,
    namespace: target.namespace,
    dataConverter: { payloadCodecs: target.payloadCodecs },
    ...(tracer ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] } } : {}),
  });
}
