// With PAYLOAD_CODEC_KEY, nothing readable reaches Temporal: the invoker's callback credentials stay out of
// history, while the driver (and the Web UI through /codec/decode) still read everything.
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { randomBytes } from 'node:crypto';
import { EncryptionCodec } from '../../src/temporal/codec';
import { statusQuery } from '../../workflows/definitions';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody } from '../support/invoker';
import { authenticatedDriver } from '../support/authenticated-driver';

const JSON_HEADERS = { 'content-type': 'application/json' };
const base64 = (text: string) => Buffer.from(text).toString('base64');
/** A plain JSON payload in the codec protocol's shape. */
const plainPayload = (value: unknown) => ({
  metadata: { encoding: base64('json/plain') },
  data: base64(JSON.stringify(value)),
});

describe('payload encryption', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ env: { PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64') } });
  });
  afterAll(() => driver?.stop());

  it('keeps workflow inputs unreadable in history and decodes them through the codec endpoint', async () => {
    const secret = `Basic ${randomBytes(9).toString('base64')}`;
    const body = createBody(null);
    body.completionCallback = { method: 'POST', uri: 'http://127.0.0.1:9/never-called', headers: [], attachment: null };
    body.completionCallback!.headers.push({ name: 'Authorization', value: secret });
    const created = await call(driver.baseUrl, 'POST', '/create', body);
    expect(created.status).toBe(200);
    const { environmentId } = created.json;

    // A client without the key sees only ciphertext.
    const plain = new Client({ connection: driver.client.connection });
    const history = await plain.workflow.getHandle(environmentId).fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    // Every byte of the history as Temporal stores it (payload data raw, not base64 as in its JSON form).
    expect(Buffer.from(temporal.api.history.v1.History.encode(history).finish()).includes(secret)).toBe(false);
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain('azq3l5f6dbaaa');

    // The driver itself reads its workflows as usual.
    expect((await driver.client.workflow.getHandle(environmentId).query(statusQuery)).environmentId).toBe(
      environmentId,
    );

    const decoded = await call(driver.baseUrl, 'POST', '/codec/decode', {
      payloads: [
        {
          metadata: {
            encoding: Buffer.from('binary/encrypted').toString('base64'),
            'encryption-key-id': Buffer.from(input.metadata!['encryption-key-id']!).toString('base64'),
          },
          data: Buffer.from(input.data!).toString('base64'),
        },
      ],
    });
    expect(decoded.status).toBe(200);
    const json = Buffer.from(decoded.json.payloads[0].data, 'base64').toString();
    expect(JSON.parse(json).request.completionCallback.headers).toContainEqual({
      name: 'Authorization',
      value: secret,
    });

    // Nobody listens at the callback URI: terminate rather than wait out the callback retries.
    await driver.client.workflow.getHandle(environmentId).terminate('test done');
  });
});

describe('codec endpoint errors', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ worker: false, env: { PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64') } });
  });
  afterAll(() => driver?.stop());

  const codec = (direction: 'encode' | 'decode', payloads: unknown[], headers: Record<string, string> = JSON_HEADERS) =>
    call(driver.baseUrl, 'POST', `/codec/${direction}`, { payloads }, headers);

  it('answers 400 naming the payload a bad key or a bad ciphertext spoils, and decodes good ones', async () => {
    const encoded = await codec('encode', [plainPayload({ n: 0 }), plainPayload({ n: 1 })]);
    expect(encoded.status).toBe(200);
    const [good, other] = encoded.json.payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(good.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');

    // Round trip first: the endpoint works, so the 400s below are about the payloads.
    const decoded = await codec('decode', [good, other]);
    expect(decoded.status).toBe(200);
    expect(
      decoded.json.payloads.map((p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString())),
    ).toEqual([{ n: 0 }, { n: 1 }]);

    // Encrypted with another key: the real codec of another deployment.
    const [foreign] = await new EncryptionCodec(randomBytes(32)).encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{}') },
    ]);
    const foreignJson = {
      metadata: Object.fromEntries(
        Object.entries(foreign.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
      ),
      data: Buffer.from(foreign.data!).toString('base64'),
    };
    const flipped = Buffer.from(other.data, 'base64');
    flipped[20] ^= 0xff;
    const cases = [
      { payloads: [good, foreignJson], index: 1, reason: /another key/ },
      { payloads: [good, good, { ...other, data: flipped.toString('base64') }], index: 2, reason: /authenticate/ },
      { payloads: [{ ...other, data: 'AAAA' }], index: 0, reason: /./ },
    ];
    for (const { payloads, index, reason } of cases) {
      const refused = await codec('decode', payloads);
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({
        errorType: 'BadRequestException',
        errorMessage: expect.stringMatching(new RegExp(`^body/payloads/${index} cannot be decoded: `)),
        details: null,
      });
      expect(refused.json.errorMessage).toMatch(reason);
    }
  });

  it('refuses payload fields that are not base64', async () => {
    const refused = await codec('decode', [{ metadata: { encoding: 'not base64!' }, data: '' }]);
    expect(refused).toMatchObject({
      status: 400,
      json: { errorMessage: expect.stringMatching(/payloads\/0\/metadata/) },
    });
  });
});

describe('codec endpoint with authentication on', () => {
  const { driver, issuer } = authenticatedDriver();

  it('needs a bearer token with a driver role, like the rest of the API', async () => {
    const body = { payloads: [plainPayload('hello')] };
    for (const direction of ['encode', 'decode']) {
      const anonymous = await call(driver().baseUrl, 'POST', `/codec/${direction}`, body, JSON_HEADERS);
      expect(anonymous).toMatchObject({ status: 401, json: { errorType: 'UnauthorizedException' } });
    }
    const token = await issuer().token({ realm_access: { roles: ['pnc-users-admin'] } });
    const authorized = { ...JSON_HEADERS, authorization: `Bearer ${token}` };
    const encoded = await call(driver().baseUrl, 'POST', '/codec/encode', body, authorized);
    expect(encoded.status).toBe(200);
    const decoded = await call(driver().baseUrl, 'POST', '/codec/decode', encoded.json, authorized);
    expect(decoded.status).toBe(200);
    expect(Buffer.from(decoded.json.payloads[0].data, 'base64').toString()).toBe('"hello"');
  });
});
