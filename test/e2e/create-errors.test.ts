// /create refused by the templates or the cluster (a template that cannot compile stops the driver at start): the Java driver's status codes and ErrorResponse bodies
// (contract §1.1 step 6, §1.6), and, unlike the Java driver, nothing left behind: whichever of pod and service
// was created is rolled back.
import { DEFAULT_POD_TEMPLATE, DEFAULT_SERVICE_TEMPLATE } from '../../src/config/default-templates';
import { mergePatch } from '../../activities/k8s/client';
import { temporalTarget } from '../../src/temporal/connection';
import { createEnvironmentWorker } from '../../src/worker';
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody } from '../support/invoker';
import { namespaceObjects } from '../support/observe';
import { stackInfo } from '../support/stack';

const INTRO = '\n\nAn error occurred while trying to create a build environment where to run the build. ';

/** One driver per configuration; each gets its own namespace. */
function withDriver(env: Record<string, string> = {}): () => TestDriver {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ env });
  });
  afterAll(() => driver?.stop());
  return () => driver;
}

describe('/create over quota', () => {
  const driver = withDriver();

  beforeAll(async () => {
    const { core, namespace } = driver().kube;
    // Less memory than the pod's 4096Mi limit. No quota controller runs here, so the test sets the status the
    // controller would; from then on the apiserver's quota admission enforces it for real.
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'builds' }, spec: { hard: { 'limits.memory': '1Gi' } } },
    });
    await core.patchNamespacedResourceQuotaStatus(
      {
        name: 'builds',
        namespace,
        body: { status: { hard: { 'limits.memory': '1Gi' }, used: { 'limits.memory': '0' } } },
      },
      mergePatch,
    );
  });

  it('answers 503 QuotaExceededException with the Java message, and rolls the service back', async () => {
    const response = await call(driver().baseUrl, 'POST', '/create', createBody(null));
    expect(response.status).toBe(503);
    // Byte for byte: field order, the two spaces after the intro, details null.
    expect(response.text).toBe(
      JSON.stringify({
        errorType: 'QuotaExceededException',
        errorMessage: `${INTRO} The maximum quota available for the build environments has been exceeded.`,
        details: null,
      }),
    );
    expect(await namespaceObjects(driver().kube)).toEqual([]);
  });
});

describe.each([
  { template: 'unparsable', line: 1, reason: 'not a YAML mapping' },
  { template: 'kind: Pod\nmetadata: [unclosed', line: 2, reason: 'not valid YAML' },
  { template: 'kind: Pod\nspec:\n  hostNetwork: &on true\n', line: 3, reason: 'anchors' },
])('a pod template that does not compile ($reason)', ({ template, line, reason }) => {
  it('stops the driver at start, naming the key and the line', async () => {
    const error: Error = await startDriver({ env: { ENVIRONMENT_DRIVER_OPENSHIFT_POD: template } }).then(
      () => new Error('the driver started'),
      (refused: Error) => refused,
    );
    expect(error.message).toContain(
      `Invalid configuration environment-driver.openshift.pod (from ENVIRONMENT_DRIVER_OPENSHIFT_POD): line ${line}: `,
    );
    expect(error.message).toContain(reason);
  });
});

describe('a worker given a template that does not compile', () => {
  const driver = withDriver();

  it('refuses to start, naming the key and the line', async () => {
    const { config } = driver();
    const route = 'kind: Route\nspec:\n  host: "%{build-agent-host"\n';
    const origin = 'environment-driver.openshift.route (from ENVIRONMENT_DRIVER_OPENSHIFT_ROUTE)';
    await expect(
      createEnvironmentWorker({
        config: {
          ...config,
          templates: { ...config.templates, route },
          templateOrigins: { ...config.templateOrigins, route: origin },
        },
        target: temporalTarget(config.temporal, stackInfo().temporalAddress),
        kube: driver().kube,
        reaper: false,
      }),
    ).rejects.toThrow(`Invalid configuration ${origin}: line 3: unclosed placeholder`);
  });
});

describe('/create with a pod template whose kind only a value makes wrong', () => {
  // Compiles (the default makes it a Pod), but the label turns it into another kind when rendered.
  const driver = withDriver({
    ENVIRONMENT_DRIVER_OPENSHIFT_POD: DEFAULT_POD_TEMPLATE.replace('kind: Pod', "kind: '%{environment-label:-Pod}'"),
  });

  it('answers 400 BadResourcesRequestException and creates nothing', async () => {
    const response = await call(driver().baseUrl, 'POST', '/create', createBody(null));
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      errorType: 'BadResourcesRequestException',
      errorMessage: `${INTRO} The build environment template could not be parsed into an OpenShift object.`,
      details: null,
    });
    expect(await namespaceObjects(driver().kube)).toEqual([]);
  });
});

describe('/create with a pod template the apiserver rejects', () => {
  // Parses fine, but a container name must be a DNS label: 422 Invalid from the apiserver.
  const driver = withDriver({
    ENVIRONMENT_DRIVER_OPENSHIFT_POD: DEFAULT_POD_TEMPLATE.replace(
      'name: pnc-build-agent-container',
      'name: Bad_Container',
    ),
  });

  it('answers 400 UnableToRequestResourcesException with the apiserver message, and rolls the service back', async () => {
    const response = await call(driver().baseUrl, 'POST', '/create', createBody(null));
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      errorType: 'UnableToRequestResourcesException',
      errorMessage: expect.stringContaining('Invalid value: "Bad_Container"'),
      details: null,
    });
    expect(await namespaceObjects(driver().kube)).toEqual([]);
  });
});

describe('/create with a service template the apiserver rejects', () => {
  const driver = withDriver({
    ENVIRONMENT_DRIVER_OPENSHIFT_SERVICE: DEFAULT_SERVICE_TEMPLATE.replace('port: 80', 'port: 70000'),
  });

  it('answers 400 UnableToRequestResourcesException and rolls the pod back', async () => {
    const response = await call(driver().baseUrl, 'POST', '/create', createBody(null));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      errorType: 'UnableToRequestResourcesException',
      errorMessage: expect.stringContaining('70000'),
    });
    expect(await namespaceObjects(driver().kube)).toEqual([]);
  });
});
