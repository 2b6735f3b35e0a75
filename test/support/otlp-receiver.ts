// A trace backend as small as it can honestly be: an OTLP/HTTP receiver (POST /v1/traces, JSON encoding) that
// decodes every export into flat spans. `countOnly` (the benchmark) accepts protobuf too and only counts exports,
// so the receiver's work does not weigh on the process it shares with the driver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  serviceName: string;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

/** OTLP/JSON ids are hex; a base64 one (the protobuf JSON mapping) is turned into hex too. */
function hexId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? value,
    ]),
  );
}

export async function startOtlpReceiver(options: { countOnly?: boolean } = {}) {
  const spans: ReceivedSpan[] = [];
  const refused: string[] = [];
  const exports = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      exports.bytes += chunk.length;
      if (!options.countOnly) body += chunk.toString();
    });
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      const accepted = type.includes('json') || (options.countOnly && type.includes('protobuf'));
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !accepted) {
        refused.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        res.writeHead(400).end();
        return;
      }
      exports.requests++;
      if (options.countOnly) return void res.writeHead(200).end();
      for (const resourceSpans of JSON.parse(body).resourceSpans ?? []) {
        const serviceName = String(attributes(resourceSpans.resource?.attributes)['service.name']);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              parentSpanId: hexId(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              serviceName,
              attributes: attributes(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    /** Export requests and body bytes received. */
    exports,
    /** Requests that were not an OTLP/HTTP JSON trace export. */
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
