// Template injection on the real stack: values that used to add keys to the pod (they still do under plain text
// substitution, checked first) go through a real worker into the real apiserver. The environment is started
// straight through Temporal, as /create does, so no edge validation stands between the value and the templates.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { DEFAULT_POD_TEMPLATE } from '../../src/config/default-templates';
import { environmentTemplateProperties } from '../../activities/templates';
import { buildEnvironmentInput, type CreateBody } from '../../src/api/environment-input';
import { requestContext } from '../../src/api/request-context';
import {
  cancelSignal,
  createdUpdate,
  ENVIRONMENT_WORKFLOW_TYPE,
  environmentLabelKey,
  environmentPhaseKey,
} from '../../workflows/definitions';
import type { environmentWorkflow } from '../../workflows/environment';
import type { EnvironmentInput, RequestContext } from '../../workflows/types';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, INVOKER_HEADERS, remainingObjects } from '../support/invoker';
import { namespaceObjects } from '../support/observe';
import { TEMPLATE_DEFAULTS, textSubstitution } from '../support/template-fixtures';

type Pod = Record<string, any>;
type Field = 'imageId' | 'repositoryDependencyUrl' | 'repositoryBuildContentId' | keyof RequestContext;

interface Attack {
  attack: string;
  field: Field;
  value: string;
  /** What the attack achieves when the value is pasted into the template text. */
  injected(pod: Pod): boolean;
  /** Where the value must appear instead, literally. */
  literal(pod: Pod): unknown[];
}

const SECRETS = { accessToken: '', workerUserPassword: null };

const env = (pod: Pod, name: string): unknown =>
  pod.spec.containers[0].env.find((e: { name: string }) => e.name === name)?.value;
const jvm = (input: EnvironmentInput) =>
  `-DlogMDC=processContext:${input.context.processContext};tmp:${input.context.tmp};exp:${input.context.exp}`;

const ATTACKS: Attack[] = [
  {
    attack: 'a privileged container',
    field: 'imageId',
    value:
      "quay.io/org/builder:1'\nspec:\n  containers:\n  - name: pnc-build-agent-container\n    image: quay.io/org/builder:1\n" +
      '    securityContext: {privileged: true}\nstatus: |\n  #',
    injected: (pod) => pod.spec.containers[0].securityContext?.privileged === true,
    literal: (pod) => [pod.spec.containers[0].image],
  },
  {
    attack: 'hostNetwork and hostPID',
    field: 'processContext',
    value: "build-1'\n  hostNetwork: true\n  hostPID: true\n  x: |\n    #",
    injected: (pod) => pod.spec.hostNetwork === true && pod.spec.hostPID === true,
    literal: (pod) => [env(pod, 'logProcessContext')],
  },
  {
    attack: 'a hostPath / volume',
    field: 'repositoryDependencyUrl',
    value: "http://indy/'\n  volumes:\n  - name: host\n    hostPath: {path: /}\n  y: |\n    #",
    injected: (pod) => pod.spec.volumes?.[0]?.hostPath?.path === '/',
    literal: (pod) => [env(pod, 'AProxDependencyUrl'), env(pod, 'artifactoryDependencyUrl')],
  },
  {
    attack: 'an extra env var',
    field: 'userId',
    value: "42'\n        - name: LD_PRELOAD\n          value: '/host/evil.so",
    injected: (pod) => env(pod, 'LD_PRELOAD') === '/host/evil.so',
    literal: (pod) => [env(pod, 'logUserId')],
  },
  {
    attack: 'another image',
    field: 'repositoryBuildContentId',
    value: "build-1'\n      image: quay.io/evil/miner:1\n      x: |\n        #",
    injected: (pod) => pod.spec.containers[0].image === 'quay.io/evil/miner:1',
    literal: (pod) => [env(pod, 'buildContentId')],
  },
  {
    attack: 'another pod name',
    field: 'exp',
    value: "0'\nmetadata:\n  name: pnc-ba-pod-escaped\nstatus: |\n  #",
    injected: (pod) => pod.metadata.name === 'pnc-ba-pod-escaped',
    literal: (pod) => [String(env(pod, 'buildAgentJvmProperties')).split(';exp:')[1]],
  },
];

const ENV_NAMES = [
  'firewallAllowedDestinations',
  'allowedHttpOutgoingDestinations',
  'isHttpActive',
  'proxyServer',
  'proxyPort',
  'nonProxyHosts',
  'AProxDependencyUrl',
  'AProxDeployUrl',
  'artifactoryDependencyUrl',
  'artifactoryDeployUrl',
  'buildAgentContextPath',
  'buildAgentBindPort',
  'logUserId',
  'logProcessContext',
  'buildContentId',
  'workerUserPassword',
  'accessToken',
  'buildAgentArguments',
  'buildAgentJvmProperties',
];

/** Every mapping key in a tree (values are not looked at: they may hold the hostile text itself). */
function keysOf(tree: unknown): string[] {
  if (Array.isArray(tree)) return tree.flatMap(keysOf);
  if (tree === null || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([key, value]) => [key, ...keysOf(value)]);
}

/** The pod is the default template's pod and nothing else: one container, its env, no host access. */
function expectTemplateShape(pod: Pod, input: EnvironmentInput): void {
  expect(pod.metadata.name).toBe(input.names.podName);
  expect(pod.spec).not.toHaveProperty('hostNetwork');
  expect(pod.spec).not.toHaveProperty('hostPID');
  expect(pod.spec).not.toHaveProperty('volumes');
  expect(pod.spec).not.toHaveProperty('initContainers');
  expect(keysOf(pod.spec)).not.toContain('privileged');
  expect(keysOf(pod.spec)).not.toContain('hostPath');
  expect(pod.spec.containers).toHaveLength(1);
  const [container] = pod.spec.containers;
  expect(container.name).toBe('pnc-build-agent-container');
  expect(container.image).toBe(input.request.imageId);
  expect(container.securityContext).toEqual({ capabilities: { add: ['NET_ADMIN'] } });
  expect(container.env.map((e: { name: string }) => e.name)).toEqual(ENV_NAMES);
  expect(env(pod, 'buildAgentJvmProperties')).toBe(jvm(input));
}

describe('hostile values through the worker into the apiserver', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());
  // A failed test must not leave its pod to the next one's "no pod left" check.
  afterEach(() =>
    driver.kube.core.deleteCollectionNamespacedPod({ namespace: driver.kube.namespace, gracePeriodSeconds: 0 }),
  );

  function inputWith(field: Field, value: string): EnvironmentInput {
    const context = { ...requestContext(INVOKER_HEADERS) };
    const body = createBody(null) as CreateBody;
    if (field in body) Object.assign(body, { [field]: value });
    else Object.assign(context, { [field]: value });
    return buildEnvironmentInput(body, context, driver.config);
  }

  /** What POST /create does after validation: update-with-start of the environment workflow. */
  async function startEnvironment(input: EnvironmentInput): Promise<'created' | WorkflowUpdateFailedError> {
    const { environmentId, environmentLabel } = input.names;
    return driver.client.workflow
      .executeUpdateWithStart(createdUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof environmentWorkflow>(ENVIRONMENT_WORKFLOW_TYPE, {
          workflowId: environmentId,
          taskQueue: driver.config.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: [
            { key: environmentPhaseKey, value: 'Creating' },
            { key: environmentLabelKey, value: environmentLabel },
          ],
        }),
      })
      .then(
        () => 'created' as const,
        (error: unknown) => {
          if (error instanceof WorkflowUpdateFailedError) return error;
          throw error;
        },
      );
  }

  async function readPod(input: EnvironmentInput): Promise<Pod> {
    return driver.kube.core.readNamespacedPod({ name: input.names.podName, namespace: driver.kube.namespace });
  }

  /** Attempts of a local activity, from the markers the SDK records in the history. */
  async function localActivityAttempts(workflowId: string, activityType: string): Promise<number[]> {
    const history = await driver.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const marker = event.markerRecordedEventAttributes;
      const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : null;
      if (!data) return [];
      const recorded = JSON.parse(Buffer.from(data).toString()) as { activity_type: string; attempt: number };
      return recorded.activity_type === activityType ? [recorded.attempt] : [];
    });
  }

  /** Cancel, wait for the workflow to end: nothing of the environment is left, and no pod at all. */
  async function cancelAndExpectNothingLeft(input: EnvironmentInput): Promise<void> {
    const handle = driver.client.workflow.getHandle(input.names.environmentId);
    await handle.signal(cancelSignal);
    expect((await handle.result()).phase).toBe('Destroyed');
    expect(await remainingObjects(driver.kube, input.names.environmentId)).toEqual([]);
    expect((await namespaceObjects(driver.kube)).filter((o) => o.startsWith('Pod/'))).toEqual([]);
  }

  it.each(ATTACKS)('the payload for $attack ($field) injects under text substitution', ({ field, value, injected }) => {
    const input = inputWith(field, value);
    const properties = environmentTemplateProperties(input, TEMPLATE_DEFAULTS, SECRETS);
    expect(injected(textSubstitution(DEFAULT_POD_TEMPLATE, properties))).toBe(true);
  });

  it.each(ATTACKS)('$attack through $field: the pod has the template shape, then cancel removes it', async (a) => {
    const input = inputWith(a.field, a.value);
    const outcome = await startEnvironment(input);
    if (outcome !== 'created') {
      // Only the apiserver may refuse a value (e.g. an image reference), and then nothing exists.
      expect(a.field).toBe('imageId');
      expect(outcome.cause?.message).toContain('Invalid value');
      expect(await namespaceObjects(driver.kube)).toEqual([]);
      return;
    }
    const pod = await readPod(input);
    expect(a.injected(pod)).toBe(false);
    expectTemplateShape(pod, input);
    for (const literal of a.literal(pod)) expect(literal).toBe(a.value);
    await cancelAndExpectNothingLeft(input);
  });

  it('renders a YAML alias bomb literally, created on the first attempt', async () => {
    const levels = 'abcdefghi'.split('').map((name, i) => {
      const items = i === 0 ? Array(9).fill('lol') : Array(9).fill(`*${'abcdefghi'[i - 1]}`);
      return `${name}: &${name} [${items.join(',')}]`;
    });
    const bomb = `build-1'\n  bomb:\n${levels.map((l) => `    ${l}`).join('\n')}\n  x: |\n    #`;
    const input = inputWith('processContext', bomb);
    const properties = environmentTemplateProperties(input, TEMPLATE_DEFAULTS, SECRETS);
    expect(() => textSubstitution(DEFAULT_POD_TEMPLATE, properties)).toThrow(/alias/i); // what used to be retried
    expect(await startEnvironment(input)).toBe('created');
    const pod = await readPod(input);
    expectTemplateShape(pod, input);
    expect(env(pod, 'logProcessContext')).toBe(bomb);
    // The create activity (a local activity) completed on its first attempt: no retry loop.
    expect(await localActivityAttempts(input.names.environmentId, 'createPodAndService')).toEqual([1]);
    await cancelAndExpectNothingLeft(input);
  });

  it('POST /create takes header values with quotes, `#` and `: ` and puts them literally into the pod', async () => {
    const headers = { ...INVOKER_HEADERS, 'log-user-id': "x' #: y", 'log-process-context': 'a: b # c' };
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null), headers);
    expect(created.status).toBe(200);
    const { environmentId } = created.json;
    const pod = await driver.kube.core.readNamespacedPod({
      name: `pnc-ba-pod-${environmentId}`,
      namespace: driver.kube.namespace,
    });
    expect(env(pod, 'logUserId')).toBe("x' #: y");
    expect(env(pod, 'logProcessContext')).toBe('a: b # c');
    expect(env(pod, 'buildAgentJvmProperties')).toBe(
      `-DlogMDC=processContext:a: b # c;tmp:false;exp:${INVOKER_HEADERS['log-exp']}`,
    );
    expect((await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`)).status).toBe(200);
    expect((await driver.client.workflow.getHandle(environmentId).result()).phase).toBe('Destroyed');
    expect(await remainingObjects(driver.kube, environmentId)).toEqual([]);
  });
});
