// Payload encryption (AES-256-GCM) for everything the driver puts into Temporal: workflow inputs carry the
// invoker's callback request and headers, which may hold credentials. The key never leaves the driver's
// processes; the Web UI decodes through the API's codec endpoint (src/api/routes/codec.ts).
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';

export class EncryptionCodec implements PayloadCodec {
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('PAYLOAD_CODEC_KEY must be 32 bytes, base64 encoded');
    // A fingerprint, not the key: tells which key encrypted a payload when keys are rotated.
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  static fromBase64(value: string): EncryptionCodec {
    return new EncryptionCodec(Buffer.from(value, 'base64'));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(this.keyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      if (keyId !== this.keyId) throw new Error(`payload encrypted with another key (${keyId})`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

export function payloadCodecs(key: string | null): PayloadCodec[] {
  return key ? [EncryptionCodec.fromBase64(key)] : [];
}
