// The final log (contract §2.1): before each callback the environment's user log goes to Bifrost as a gzip
// multipart form with the invoker's MDC headers and the service identity. Bifrost slow, failing or down delays the
// callback by at most bifrost-uploader.max-delay (3 s here) and never loses it.
import { environmentNames } from '../../workflows/names';
import { startDriver, type TestDriver } from '../support/driver';
import { closedPortUrl, startFakeBifrost } from '../support/fake-bifrost';
import { startCallbackReceiver } from '../support/fakes';
import { markContainerWaiting } from '../support/kubelet';
import { call, createBody, INVOKER_HEADERS } from '../support/invoker';
import { readyEnvironment } from '../support/ready-environment';

type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;
const SERVICE_AUTHORIZATION = 'Bearer service-account-token';

/** Every string of a workflow's history, also base64-decoded (payload bytes arrive that way). */
async function historyText(driver: TestDriver, environmentId: string): Promise<string> {
  const strings: string[] = [];
  JSON.stringify(await driver.client.workflow.getHandle(environmentId).fetchHistory(), (_key, value) => {
    if (typeof value === 'string') strings.push(value, Buffer.from(value, 'base64').toString('latin1'));
    return value;
  });
  return strings.join('\n');
}

async function finalLogMetric(driver: TestDriver, outcome: string): Promise<number> {
  const text = await (await fetch(`${driver.baseUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`environment_driver_final_log_uploads_total{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Runs an environment to its end; afterwards no upload or callback can follow, so counts are final. */
async function finish(driver: TestDriver, environmentId: string) {
  await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
  return driver.client.workflow.getHandle(environmentId).result();
}

describe('final log to Bifrost', () => {
  let bifrost: Awaited<ReturnType<typeof startFakeBifrost>>;
  let driver: TestDriver;
  beforeAll(async () => {
    bifrost = await startFakeBifrost();
    driver = await startDriver({
      env: {
        BIFROST_UPLOADER_API_URL: bifrost.url,
        BIFROST_UPLOADER_MAX_DELAY: '3',
        CALLBACK_AUTHORIZATION: SERVICE_AUTHORIZATION,
      },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await bifrost?.stop();
  });
  beforeEach(() => {
    bifrost.uploads.length = 0;
    bifrost.attempts.length = 0;
    bifrost.setMode('ok');
  });

  it('uploads the SUCCESS log once, then calls back; no secret in the log or in history', async () => {
    const receiver = await startCallbackReceiver();
    const ready = await readyEnvironment(driver, receiver, { allowSshDebug: true });
    try {
      expect(ready.callback.sshPassword).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(bifrost.uploads).toHaveLength(1);
      const [upload] = bifrost.uploads;
      expect(upload.at).toBeLessThanOrEqual(receiver.received[0].at);
      expect(upload.url).toBe('/final-log/upload');
      expect(upload.headers['content-encoding']).toBe('gzip');
      expect(upload.fields).toMatchObject({
        loggerName: 'org.jboss.pnc._userlog_.envdriver',
        tag: 'build-log',
        md5sum: upload.computedMd5,
      });
      expect(new Date(upload.fields.endTime).getTime()).toBeLessThanOrEqual(receiver.received[0].at);
      expect(upload.headers).toMatchObject({
        'log-process-context': INVOKER_HEADERS['log-process-context'],
        'log-tmp': INVOKER_HEADERS['log-tmp'],
        'log-exp': INVOKER_HEADERS['log-exp'],
        'log-user-id': INVOKER_HEADERS['log-user-id'],
        'log-request-context': expect.stringMatching(/^\d+$/),
        authorization: SERVICE_AUTHORIZATION,
      });
      const log = upload.fields.logfile;
      process.stdout.write(`final log of a SUCCESS environment:\n${log}`);
      expect(log).toContain(`Environment ${ready.environmentId} (label azq3l5f6dbaaa)`);
      expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z Pod and service created$/m);
      expect(log).toMatch(/^Pod running and build agent answering after \d+\.\d s$/m);
      expect(log).toMatch(/^Result SUCCESS after \d+\.\d s$/m);
      expect(log).not.toContain(ready.callback.sshPassword);
      expect(log).not.toContain(SERVICE_AUTHORIZATION);

      const final = await finish(driver, ready.environmentId);
      expect(final.result).toMatchObject({ status: 'SUCCESS', delivered: true });
      expect(bifrost.uploads).toHaveLength(1);
      const history = await historyText(driver, ready.environmentId);
      expect(history).toContain('Pod and service created'); // the check does read the callback's input
      expect(history).not.toContain(ready.callback.sshPassword);
      expect(history).not.toContain(SERVICE_AUTHORIZATION);
      expect(await finalLogMetric(driver, 'uploaded')).toBeGreaterThanOrEqual(1);
    } finally {
      await ready.agent.stop();
      await receiver.stop();
    }
  });

  it('uploads once while the callback is retried', async () => {
    const receiver = await startCallbackReceiver({ failFirst: 2, failStatus: 500 });
    const ready = await readyEnvironment(driver, receiver);
    try {
      expect(receiver.attempts()).toBe(3);
      await finish(driver, ready.environmentId);
      expect(bifrost.uploads).toHaveLength(1);
      expect(bifrost.attempts).toHaveLength(1);
    } finally {
      await ready.agent.stop();
      await receiver.stop();
    }
  });

  it('uploads the failure reason of a FAILED environment', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
      expect(created.status).toBe(200);
      const names = environmentNames('azq3l5f6dbaaa', created.json.environmentId);
      await markContainerWaiting(driver.kube, names.podName, 'InvalidImageName');
      const callback = JSON.parse((await receiver.next(1)).body);
      expect(callback.status).toBe('FAILED');
      expect(bifrost.uploads).toHaveLength(1);
      const log = bifrost.uploads[0].fields.logfile;
      process.stdout.write(`final log of a FAILED environment:\n${log}`);
      expect(log).toContain(`Result FAILED after`);
      expect(log).toContain(callback.reason.split('\n')[0]);
      expect(log).toContain('InvalidImageName');
      await driver.client.workflow.getHandle(names.environmentId).result();
    } finally {
      await receiver.stop();
    }
  });

  it.each(['fail', 'hang'] as const)('still calls back when Bifrost does %s, after bounded attempts', async (mode) => {
    bifrost.setMode(mode);
    const receiver = await startCallbackReceiver();
    const ready = await readyEnvironment(driver, receiver);
    try {
      const delayMs = receiver.received[0].at - bifrost.attempts[0].at;
      process.stdout.write(`Bifrost ${mode}: ${bifrost.attempts.length} attempts, callback ${delayMs} ms later\n`);
      expect(bifrost.attempts.length).toBeGreaterThanOrEqual(1);
      expect(bifrost.attempts.length).toBeLessThanOrEqual(7);
      const final = await finish(driver, ready.environmentId);
      expect(final.result).toMatchObject({ status: 'SUCCESS', delivered: true });
      expect(receiver.received).toHaveLength(1);
      expect(await finalLogMetric(driver, 'gave-up')).toBeGreaterThanOrEqual(1);
    } finally {
      await ready.agent.stop();
      await receiver.stop();
    }
  });
});

describe('final log with Bifrost down', () => {
  it('still calls back', async () => {
    const driver = await startDriver({
      env: { BIFROST_UPLOADER_API_URL: await closedPortUrl(), BIFROST_UPLOADER_MAX_DELAY: '3' },
    });
    let receiver: Receiver | undefined;
    try {
      receiver = await startCallbackReceiver();
      const ready = await readyEnvironment(driver, receiver);
      await ready.agent.stop();
      const final = await finish(driver, ready.environmentId);
      expect(final.result).toMatchObject({ status: 'SUCCESS', delivered: true });
      expect(await finalLogMetric(driver, 'gave-up')).toBe(1);
    } finally {
      await receiver?.stop();
      await driver.stop();
    }
  });
});
