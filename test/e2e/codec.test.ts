// With PAYLOAD_CODEC_KEY, nothing readable reaches Temporal: the invoker's callback credentials stay out of
// history, while the driver (and the Web UI through /codec/decode) still read everything.
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { statusQuery } from '../../workflows/definitions';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody } from '../support/invoker';

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
    expect(JSON.stringify(history)).not.toContain(secret);
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
