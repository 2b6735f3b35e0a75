// The final log's rendering, its multipart body (parsed back by Node's own form parser), the upload's retry
// bounds against a real local HTTP server, and the bifrost-uploader.* configuration keys.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NO_METRICS } from '../../activities/deps';
import { uploadFinalLog, uploadFinalLogOnce, type FinalLogOutcome } from '../../activities/final-log';
import { finalLogBody, renderUserLog } from '../../activities/final-log-format';
import { createOutboundHttp, staticIdentity } from '../../activities/outbound-http';
import { ConfigError, loadConfig } from '../../src/config';
import { environmentNames } from '../../workflows/names';
import type { FinalLogSource } from '../../workflows/types';

const names = environmentNames('azq3l5f6dbaaa', 'azq3l5f6dbaaa-1a2b3c');
const source: FinalLogSource = {
  headers: [{ name: 'log-process-context', value: 'build-AZQ3L5F6DBAAA' }],
  createdAt: '2026-11-30T10:00:00.000Z',
  conditions: [
    { phase: 'Creating', enteredAt: '2026-11-30T10:00:00.000Z' },
    { phase: 'Starting', enteredAt: '2026-11-30T10:00:00.250Z' },
    { phase: 'Failed', enteredAt: '2026-11-30T10:00:03.450Z' },
  ],
  messages: [
    { seq: 1, at: '2026-11-30T10:00:00.000Z', text: 'Phase Creating' },
    { seq: 2, at: '2026-11-30T10:00:00.250Z', text: 'Pod and service created' },
    { seq: 3, at: '2026-11-30T10:00:03.450Z', text: 'Pod failed with status: ErrImagePull\n\nSee the image.' },
  ],
};

describe('final log rendering', () => {
  it('has one line per message, the phase durations and the result with its reason', () => {
    const log = renderUserLog({
      names,
      source,
      status: 'SYSTEM_ERROR',
      reason: 'Pod failed with status: ErrImagePull',
      endTime: new Date('2026-11-30T10:00:03.500Z'),
    });
    expect(log).toBe(
      [
        'Environment azq3l5f6dbaaa-1a2b3c (label azq3l5f6dbaaa), created 2026-11-30T10:00:00.000Z',
        '2026-11-30T10:00:00.000Z Phase Creating',
        '2026-11-30T10:00:00.250Z Pod and service created',
        '2026-11-30T10:00:03.450Z Pod failed with status: ErrImagePull',
        '  ',
        '  See the image.',
        'Phases: Creating 0.3 s → Starting 3.2 s → Failed',
        'Result SYSTEM_ERROR after 3.5 s: Pod failed with status: ErrImagePull',
        '',
      ].join('\n'),
    );
  });

  it("is sent as the Java client's gzip multipart form, md5sum over the log's UTF-8 bytes", async () => {
    const log = 'Environment ü ✓\n';
    const { contentType, body, md5sum } = finalLogBody(log, new Date('2026-11-30T10:00:03.500Z'));
    expect(md5sum).toBe(createHash('md5').update(Buffer.from(log, 'utf8')).digest('hex'));
    const form = await new Response(gunzipSync(body), { headers: { 'content-type': contentType } }).formData();
    expect([...form.keys()]).toEqual(['md5sum', 'endTime', 'loggerName', 'tag', 'logfile']);
    expect(Object.fromEntries(form.entries())).toEqual({
      md5sum,
      endTime: '2026-11-30T10:00:03.500Z',
      loggerName: 'org.jboss.pnc._userlog_.envdriver',
      tag: 'build-log',
      logfile: log,
    });
  });
});

describe('final log upload', () => {
  async function bifrostAnswering(status: number) {
    const seen: { url: string; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      req.resume().on('end', () => res.writeHead(status).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bifrost-base/`;
    return { url, seen, stop: () => new Promise((resolve) => server.close(resolve)) };
  }
  const upload = (apiUrl: string, budgetMs: number) =>
    uploadFinalLog(
      createOutboundHttp(staticIdentity('Bearer service')),
      { apiUrl, maxDelayMs: budgetMs },
      { names, source, result: { status: 'FAILED' } as never, requestTimeoutMs: 1000, budgetMs },
    );

  it('does not retry a refusal (4xx), posting to /final-log/upload on the host as Java did', async () => {
    const bifrost = await bifrostAnswering(400);
    try {
      expect(await upload(bifrost.url, 5000)).toEqual({
        outcome: 'refused',
        attempts: 1,
        error: 'Bifrost answered 400',
      });
      expect(bifrost.seen).toEqual([{ url: '/final-log/upload', authorization: 'Bearer service' }]);
    } finally {
      await bifrost.stop();
    }
  });

  it('retries 5xx within its budget only', async () => {
    const bifrost = await bifrostAnswering(503);
    try {
      // Pauses of 1 s, then 2 s: the second would end past a 2.5 s budget.
      expect(await upload(bifrost.url, 2500)).toMatchObject({ outcome: 'gave-up', attempts: 2 });
      expect(bifrost.seen).toHaveLength(2);
    } finally {
      await bifrost.stop();
    }
  });
});

describe('final log once per callback', () => {
  /** Runs the callback's upload step in an activity context with `info`; returns what Bifrost saw. */
  async function runOnce(info: Record<string, unknown>, withSource = true) {
    const seen: string[] = [];
    const outcomes: FinalLogOutcome[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url!);
      req.resume().on('end', () => res.writeHead(200).end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const deps = {
      outbound: createOutboundHttp(staticIdentity(null)),
      metrics: { ...NO_METRICS, finalLogUpload: (outcome: FinalLogOutcome) => outcomes.push(outcome) },
      finalLog: { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxDelayMs: 3000 },
    };
    const input = { names, result: { status: 'SUCCESS' } as never, requestTimeoutMs: 1000 };
    try {
      await new MockActivityEnvironment(info).run(uploadFinalLogOnce, deps, input, withSource ? source : undefined);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    return { seen, outcomes };
  }

  it('uploads on a first attempt, and not again once an earlier attempt recorded it', async () => {
    expect(await runOnce({ startToCloseTimeoutMs: 6000 })).toEqual({
      seen: ['/final-log/upload'],
      outcomes: ['uploaded'],
    });
    expect(await runOnce({ startToCloseTimeoutMs: 6000, heartbeatDetails: { finalLog: 'gave-up' } })).toEqual({
      seen: [],
      outcomes: [],
    });
  });

  it('skips inputs of older workflow code, and activities whose timeout leaves no room', async () => {
    expect(await runOnce({ startToCloseTimeoutMs: 6000 }, false)).toEqual({ seen: [], outcomes: [] });
    expect(await runOnce({ startToCloseTimeoutMs: 2000 })).toEqual({ seen: [], outcomes: ['no-room'] });
  });
});

describe('bifrost-uploader configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bifrost-config-'));
  const file = join(dir, 'driver.yaml');
  writeFileSync(file, 'bifrost-uploader:\n  api-url: http://bifrost:8080\n  max-delay: PT1M30S\n');

  it('reads the top-level keys from the file, environment variables winning', () => {
    expect(loadConfig({}, { file }).bifrost).toEqual({ apiUrl: 'http://bifrost:8080', maxDelayMs: 90_000 });
    expect(loadConfig({ BIFROST_UPLOADER_MAX_DELAY: '2.5' }, { file }).bifrost.maxDelayMs).toBe(2500);
    expect(loadConfig({ BIFROST_UPLOADER_MAX_DELAY: '500ms' }, { file }).bifrost.maxDelayMs).toBe(500);
    expect(loadConfig({ BIFROST_UPLOADER_MAX_DELAY: '1m' }, { file }).bifrost.maxDelayMs).toBe(60_000);
  });

  it('gives the callback room for the upload only when a Bifrost is configured', () => {
    expect(loadConfig({}).bifrost).toEqual({ apiUrl: null, maxDelayMs: 30_000 });
    expect(loadConfig({}).settings).not.toHaveProperty('finalLogMaxDelayMs');
    expect(loadConfig({ BIFROST_UPLOADER_API_URL: 'https://bifrost' }).settings.finalLogMaxDelayMs).toBe(30_000);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ BIFROST_UPLOADER_MAX_DELAY: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ BIFROST_UPLOADER_MAX_DELAY: 'soon' })).toThrow(/BIFROST_UPLOADER_MAX_DELAY/);
    expect(() => loadConfig({ BIFROST_UPLOADER_API_URL: 'bifrost' })).toThrow(/BIFROST_UPLOADER_API_URL/);
  });
});
