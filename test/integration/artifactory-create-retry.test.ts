// createPodAndService is a local activity: when the worker dies inside the first workflow task, the task (and the
// activity) runs again and mints a second token. The real activities against the real apiserver and the fake
// Artifactory, run twice with the same input as Temporal would: the Secret keeps the first token, the second is
// revoked at once, and the destroy revokes the first — each token exactly once.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { deploymentLabelValue, NO_METRICS } from '../../activities/deps';
import { mergePatch } from '../../activities/k8s/client';
import { createOutboundHttp, staticIdentity } from '../../activities/outbound-http';
import { buildEnvironmentInput } from '../../src/api/environment-input';
import { compileTemplates } from '../../src/worker';
import type { EnvironmentInput } from '../../workflows/types';
import { startFakeArtifactory, type FakeArtifactory } from '../support/artifactory';
import { startDriver, type TestDriver } from '../support/driver';
import { createBody, remainingObjects } from '../support/invoker';

const CONTEXT = { processContext: 'build-AZQ3L5F6DBAAA', tmp: 'false', exp: '', userId: '42', headers: [] };

describe('a create activity run twice for one environment (a retried first workflow task)', () => {
  let fake: FakeArtifactory;
  let driver: TestDriver;
  let activities: ReturnType<typeof createActivities>;
  const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) =>
    new MockActivityEnvironment(
      { scheduleToCloseTimeoutMs: 60_000, startToCloseTimeoutMs: 60_000 },
      { logger: new DefaultLogger('WARN') },
    ).run(fn, ...args);
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    driver = await startDriver({ worker: false, env: fake.env });
    // The worker's dependencies, as src/worker.ts builds them.
    activities = createActivities({
      kube: driver.kube,
      templates: compileTemplates(driver.config),
      templateDefaults: driver.config.templateDefaults,
      outbound: createOutboundHttp(staticIdentity(null)),
      isEnvironmentRunning: async () => false,
      metrics: NO_METRICS,
      deployment: deploymentLabelValue(driver.config.temporal.taskQueue),
      indy: null,
      artifactory: { ...driver.config.artifactory!, requestTimeoutMs: 2000 },
      routeApi: true,
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await fake?.stop();
  });
  const newInput = (): EnvironmentInput =>
    buildEnvironmentInput({ ...createBody(null), completionCallback: null }, CONTEXT, driver.config);
  const secretValue = async (input: EnvironmentInput) => {
    const { core, namespace } = driver.kube;
    const secret = await core.readNamespacedSecret({ name: input.names.secretName, namespace });
    return Buffer.from(secret.data!.accessToken, 'base64').toString();
  };

  it('keeps the first token in the Secret and revokes the second at once', async () => {
    const input = newInput();
    await run(activities.createPodAndService, input);
    await run(activities.createPodAndService, input);
    const [first, second] = fake.minted.slice(-2);
    expect(await secretValue(input)).toBe(first.referenceToken);
    expect(fake.isRevoked(second.referenceToken)).toBe(true);
    expect(fake.isRevoked(first.referenceToken)).toBe(false);

    await run(activities.destroyEnvironment, input.names);
    expect(fake.revokeCounts().slice(-2)).toEqual([1, 1]);
    expect(fake.isRevoked(first.referenceToken)).toBe(true);
    expect(await remainingObjects(driver.kube, input.names.environmentId)).toEqual([]);
    expect(fake.refused).toEqual([]);
  });

  it('puts its token in a Secret whose token an earlier attempt already revoked', async () => {
    const input = newInput();
    await run(activities.createPodAndService, input);
    const [first] = fake.minted.slice(-1);
    // What a rolled-back attempt leaves when the Secret's delete failed after its revoke: a marked Secret.
    await driver.kube.core.patchNamespacedSecret(
      {
        name: input.names.secretName,
        namespace: driver.kube.namespace,
        body: { metadata: { annotations: { 'pnc-environment-driver/token-revoked': 'true' } } },
      },
      mergePatch,
    );
    await run(activities.createPodAndService, input);
    const [second] = fake.minted.slice(-1);
    expect(await secretValue(input)).toBe(second.referenceToken);
    expect(fake.isRevoked(second.referenceToken)).toBe(false);

    await run(activities.destroyEnvironment, input.names);
    expect(fake.isRevoked(second.referenceToken)).toBe(true);
    // The first was never revoked here (the test only marked it): the mark alone keeps it from a second revoke.
    expect(fake.revokes.filter((r) => r.token === first.referenceToken)).toEqual([]);
    expect(fake.revokeCounts().slice(-1)).toEqual([1]);
    expect(await remainingObjects(driver.kube, input.names.environmentId)).toEqual([]);
  });
});
