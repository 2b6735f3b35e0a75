// The Temporal codec server protocol (POST /codec/encode|decode), so the Web UI and `temporal --codec-endpoint`
// can show encrypted payloads. Behind the same authentication as the rest of the API.
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Static } from 'typebox';
import type { ApiApp } from '../deps';
import { HttpError } from '../errors';
import { CODEC_BODY_LIMIT } from '../limits';
import { codecRequestSchema } from '../schemas';

type JsonPayload = Static<typeof codecRequestSchema>['payloads'][number];

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

/**
 * Runs the codecs over one payload at a time, so that a payload the codecs refuse (another key, a corrupt or
 * truncated ciphertext) is a 400 naming its index rather than a 500 for the whole batch.
 */
async function transform(codecs: PayloadCodec[], direction: 'encode' | 'decode', payloads: Payload[]) {
  const ordered = direction === 'encode' ? codecs : [...codecs].reverse();
  const results: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    let current = [payload];
    try {
      for (const codec of ordered) current = await codec[direction](current);
    } catch (error) {
      throw new HttpError(
        400,
        'BadRequestException',
        `body/payloads/${index} cannot be ${direction}d: ${(error as Error).message}`,
      );
    }
    results.push(...current);
  }
  return results;
}

export function codecRoutes(app: ApiApp, codecs: PayloadCodec[]): void {
  if (codecs.length === 0) return;
  for (const direction of ['encode', 'decode'] as const) {
    app.post(
      `/codec/${direction}`,
      { schema: { body: codecRequestSchema }, bodyLimit: CODEC_BODY_LIMIT },
      async (request) => {
        const payloads = await transform(codecs, direction, request.body.payloads.map(fromJson));
        return { payloads: payloads.map(toJson) };
      },
    );
  }
}
