// The Temporal codec server protocol (POST /codec/encode|decode), so the Web UI and `temporal --codec-endpoint`
// can show encrypted payloads. Behind the same authentication as the rest of the API.
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

const bodySchema = {
  type: 'object',
  required: ['payloads'],
  properties: {
    payloads: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          metadata: { type: 'object', additionalProperties: { type: 'string' } },
          data: { type: 'string' },
        },
      },
    },
  },
} as const;

export function codecRoutes(app: FastifyInstance, codecs: PayloadCodec[]): void {
  if (codecs.length === 0) return;
  for (const direction of ['encode', 'decode'] as const) {
    app.post<{ Body: { payloads: JsonPayload[] } }>(
      `/codec/${direction}`,
      { schema: { body: bodySchema } },
      async (request) => {
        let payloads = request.body.payloads.map(fromJson);
        const ordered = direction === 'encode' ? codecs : [...codecs].reverse();
        for (const codec of ordered) payloads = await codec[direction](payloads);
        return { payloads: payloads.map(toJson) };
      },
    );
  }
}
