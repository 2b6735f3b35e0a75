// Artifactory build-agent tokens (contract §3.9): one minted per environment (instead of Indy's), delivered through
// the environment's Secret only, never in the pod spec or workflow history, and revoked exactly once whichever way
// the environment ends. A refused mint answers 500 as Java did and leaves nothing; a refused create after the mint
// revokes the token (Java leaked it: contract §5 item 6).
import { mergePatch } from '../../activities/k8s/client';
import { environmentNames } from '../../workflows/names';
import { ARTIFACTORY_SCOPE, startFakeArtifactory, type FakeArtifactory } from '../support/artifactory';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { call, createBody, remainingObjects } from '../support/invoker';
import { markContainerWaiting } from '../support/kubelet';
import { namespaceObjects, workflowIds } from '../support/observe';
import { readyEnvironment } from '../support/ready-environment';

/** Strings of the workflow's history, raw and base64-decoded (payloads), to look for secrets in. */
async function historyText(driver: TestDriver, workflowId: string): Promise<string> {
  const strings: string[] = [];
  JSON.stringify(await driver.client.workflow.getHandle(workflowId).fetchHistory(), (_k, v) => {
    if (typeof v === 'string') strings.push(v, Buffer.from(v, 'base64').toString('latin1'));
    return v;
  });
  return strings.join('\n');
}

async function withArtifactoryDriver(fake: FakeArtifactory, env: Record<string, string> = {}) {
  // INDY_URL points at a closed port: any Indy call would fail the create.
  return startDriver({ env: { ...fake.env, INDY_URL: 'http://127.0.0.1:1', ...env } });
}

const CREATE_FAILED_BODY = {
  errorType: 'DriverException',
  errorMessage: 'Cannot get token from Artifactory.',
  details: null,
};

describe('Artifactory tokens through an environment life', () => {
  let fake: FakeArtifactory;
  let driver: TestDriver;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let mintStatus = 200;
  beforeAll(async () => {
    fake = await startFakeArtifactory({ mintStatus: () => mintStatus });
    driver = await withArtifactoryDriver(fake, {
      ENVIRONMENT_DRIVER_ARTIFACTORY_DEFAULT_DEPLOY_REPO: 'pnc-deploy',
      ENVIRONMENT_DRIVER_ARTIFACTORY_DEFAULT_DEPENDENCY_REPO: 'pnc-dependencies',
    });
  });
  beforeEach(async () => {
    mintStatus = 200;
    receiver = await startCallbackReceiver();
  });
  afterEach(async () => {
    await receiver.stop();
    expect(fake.refused).toEqual([]); // every call carried the admin bearer and a well-formed body
  });
  afterAll(async () => {
    await driver?.stop();
    await fake?.stop();
  });

  it('mints one token into the Secret only, and complete revokes it exactly once', async () => {
    const { environmentId, names, agent } = await readyEnvironment(driver, receiver);
    try {
      expect(fake.minted).toHaveLength(1);
      const [token] = fake.minted;
      expect(token.body).toEqual({
        username: 'build-AZQ3L5F6DBAAA',
        scope: ARTIFACTORY_SCOPE,
        expires_in: 3 * 3600,
        force_revocable: true,
        include_reference_token: true,
      });
      const { core, namespace } = driver.kube;
      const secret = await core.readNamespacedSecret({ name: names.secretName, namespace });
      expect(Buffer.from(secret.data!.accessToken, 'base64').toString()).toBe(token.referenceToken);
      expect(secret.metadata!.annotations).toMatchObject({
        'pnc-environment-driver/token-source': 'artifactory',
        'pnc-environment-driver/artifactory-token-id': token.tokenId,
      });
      // Not garbage-collected with the pod: the Secret is the token's record until it is revoked.
      expect(secret.metadata!.ownerReferences).toBeUndefined();
      const pod = await core.readNamespacedPod({ name: names.podName, namespace });
      const env = pod.spec!.containers[0].env!;
      expect(env.find((e) => e.name === 'accessToken')!.valueFrom?.secretKeyRef).toMatchObject({
        name: names.secretName,
        key: 'accessToken',
      });
      expect(JSON.stringify(pod)).not.toContain(token.referenceToken);
      // The request's repository URLs win over the configured default repositories.
      expect(env.find((e) => e.name === 'artifactoryDeployUrl')!.value).toBe(createBody(null).repositoryDeployUrl);

      expect((await call(driver.baseUrl, 'PUT', '/complete', { environmentId })).status).toBe(200);
      expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
      expect(fake.revokes).toEqual([{ token: token.referenceToken, status: 200 }]);
      expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
      const history = await historyText(driver, environmentId);
      expect(history).toContain(names.podName);
      for (const secretValue of [token.referenceToken, token.accessToken]) expect(history).not.toContain(secretValue);
    } finally {
      await agent.stop();
    }
  });

  it('cancel revokes the token once; default repositories fill in what the request leaves out', async () => {
    const before = fake.minted.length;
    const created = await call(
      driver.baseUrl,
      'POST',
      '/create',
      createBody(receiver.url(), { repositoryDeployUrl: null }),
    );
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    const names = environmentNames('azq3l5f6dbaaa', environmentId);
    const pod = await driver.kube.core.readNamespacedPod({ name: names.podName, namespace: driver.kube.namespace });
    const value = (name: string) => pod.spec!.containers[0].env!.find((e) => e.name === name)!.value;
    expect(value('artifactoryDeployUrl')).toBe(`${fake.url}/artifactory/pnc-deploy/`);
    expect(value('AProxDeployUrl')).toBe(`${fake.url}/artifactory/pnc-deploy/`);
    expect(value('artifactoryDependencyUrl')).toBe(createBody(null).repositoryDependencyUrl);

    expect((await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
    expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    expect(fake.minted).toHaveLength(before + 1);
    expect(fake.revokeCounts().slice(before)).toEqual([1]);
    expect(fake.isRevoked(fake.minted[before].referenceToken)).toBe(true);
    expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
  });

  it('a failed pod (InvalidImageName) is destroyed after its grace with its token revoked once', async () => {
    const before = fake.minted.length;
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    const { environmentId } = created.json;
    await markContainerWaiting(
      driver.kube,
      environmentNames('azq3l5f6dbaaa', environmentId).podName,
      'InvalidImageName',
    );
    expect(JSON.parse((await receiver.next(1)).body).status).toBe('FAILED');
    expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    expect(fake.revokeCounts().slice(before)).toEqual([1]);
    expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
  });

  it.each([500, 403])('a mint answered %i: /create answers 500 as Java, and nothing is left', async (status) => {
    mintStatus = status;
    const before = { minted: fake.minted.length, revokes: fake.revokes.length };
    const response = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url()));
    expect(response.status).toBe(500);
    expect(response.text).toBe(JSON.stringify(CREATE_FAILED_BODY));
    expect(await namespaceObjects(driver.kube)).toEqual([]);
    const secrets = await driver.kube.core.listNamespacedSecret({ namespace: driver.kube.namespace });
    expect(secrets.items.filter((s) => s.metadata?.labels?.['pnc-environment-id'])).toEqual([]);
    expect(fake.minted.length).toBe(before.minted);
    expect(fake.revokes.length).toBe(before.revokes);
    for (const id of await workflowIds(driver)) {
      const { status: run } = await driver.client.workflow.getHandle(id).describe();
      expect({ id, status: run.name }).not.toEqual({ id, status: 'RUNNING' });
    }
  });
});

describe('Artifactory tokens of a create the cluster refuses', () => {
  let fake: FakeArtifactory;
  let driver: TestDriver;
  const setQuota = async (hard: Record<string, string>) => {
    const { core, namespace } = driver.kube;
    // No quota controller runs here: the test sets the status it would, then admission enforces it for real.
    await core.patchNamespacedResourceQuota({ name: 'builds', namespace, body: { spec: { hard } } }, mergePatch);
    const used = Object.fromEntries(Object.keys(hard).map((key) => [key, '0']));
    await core.patchNamespacedResourceQuotaStatus(
      { name: 'builds', namespace, body: { status: { hard, used } } },
      mergePatch,
    );
  };
  beforeAll(async () => {
    fake = await startFakeArtifactory();
    driver = await withArtifactoryDriver(fake);
    await driver.kube.core.createNamespacedResourceQuota({
      namespace: driver.kube.namespace,
      body: { metadata: { name: 'builds' }, spec: { hard: {} } },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await fake?.stop();
  });

  async function expectRefusedAndRevoked(expectedStatus: number) {
    const before = fake.minted.length;
    const response = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    expect(response.status).toBe(expectedStatus);
    expect(fake.minted).toHaveLength(before + 1);
    expect(fake.revokes.slice(-1)).toEqual([{ token: fake.minted[before].referenceToken, status: 200 }]);
    expect(fake.revokeCounts().slice(before)).toEqual([1]);
    expect(await namespaceObjects(driver.kube)).toEqual([]);
    const secrets = await driver.kube.core.listNamespacedSecret({ namespace: driver.kube.namespace });
    expect(secrets.items.filter((s) => s.metadata?.labels?.['pnc-environment-id'])).toEqual([]);
    expect(fake.refused).toEqual([]);
  }

  it('the pod over quota: the Secret made beside it is rolled back and its token revoked', async () => {
    await setQuota({ 'limits.memory': '1Gi' });
    await expectRefusedAndRevoked(503);
  });

  it('the Secret over quota: the token, in no Secret, is revoked directly', async () => {
    await setQuota({ 'limits.memory': '100Gi', secrets: '0' });
    await expectRefusedAndRevoked(503);
  });
});
