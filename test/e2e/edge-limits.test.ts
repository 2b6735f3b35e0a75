// Limits at the edge, as an attacker finds them: every string bounded in length and charset, free-form JSON
// bounded in depth and size, the body bounded in bytes. Each is a prompt 400 (413 for the body) naming the
// field, before anything reaches Temporal or the cluster. Before these bounds an imageId over 2 KB, a lone
// surrogate or a deeply nested attachment was a 500, and a 600,000-character environmentId hung /complete.
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, INVOKER_HEADERS } from '../support/invoker';
import { createRequest, expectNoWorkflowFrom, expectRefused, type BadRequest } from '../support/refusals';

const CALLBACK = 'http://127.0.0.1:9/callback';
const valid = createBody(CALLBACK);
const callback = valid.completionCallback!;
const withCallback = (changes: Record<string, unknown>) => ({
  ...valid,
  completionCallback: { ...callback, ...changes },
});
const RAW = '"@raw@"';
/** The JSON text of `body` with `"@raw@"` replaced by raw JSON: escapes JSON.stringify would never write. */
const raw = (body: unknown, rawValue: string) => JSON.stringify(body).replace(RAW, rawValue);
const rawBody = (field: string, rawValue: string) => raw({ ...valid, [field]: '@raw@' }, rawValue);
const rawAttachment = (rawValue: string) => raw(withCallback({ attachment: '@raw@' }), rawValue);

const CREATE: BadRequest[] = [
  createRequest('imageId over 2 KB', { ...valid, imageId: `quay.io/org/${'a'.repeat(2100)}:1` }, /body\/imageId/),
  createRequest('imageId with a space', { ...valid, imageId: 'quay.io/org/builder :1' }, /body\/imageId/),
  createRequest('imageId with a lone surrogate', rawBody('imageId', '"quay.io/\\ud800"'), /body\/imageId/),
  createRequest(
    'environmentLabel with a lone surrogate',
    rawBody('environmentLabel', '"a\\udc00"'),
    /environmentLabel/,
  ),
  createRequest('attachment 10,000 deep', rawAttachment('['.repeat(10_000) + ']'.repeat(10_000)), /attachment.*32/),
  createRequest('attachment with a lone surrogate in a key', rawAttachment('{"ok":{"\\ud800":1}}'), /attachment/),
  createRequest('attachment with a lone surrogate in a value', rawAttachment('["\\udfff"]'), /attachment/),
  createRequest('attachment over 64 KiB', withCallback({ attachment: ['x'.repeat(70_000)] }), /attachment/),
  createRequest('callback uri with a space', withCallback({ uri: 'http://invoker/a b' }), /completionCallback\/uri/),
  createRequest('callback uri not http', withCallback({ uri: 'file:///etc/passwd' }), /completionCallback\/uri/),
  createRequest(
    'callback uri over 2 KB',
    withCallback({ uri: `http://i/${'a'.repeat(2100)}` }),
    /completionCallback\/uri/,
  ),
  createRequest('callback method lower case', withCallback({ method: 'post' }), /completionCallback\/method/),
  createRequest(
    'callback header name with a space',
    withCallback({ headers: [{ name: 'X Bad', value: 'v' }] }),
    /completionCallback\/headers\/0\/name/,
  ),
  createRequest(
    'callback header value with CR LF',
    withCallback({ headers: [{ name: 'X-Ok', value: 'v\r\nInjected: 1' }] }),
    /completionCallback\/headers\/0\/value/,
  ),
  createRequest(
    'callback with 65 headers',
    withCallback({ headers: Array.from({ length: 65 }, (_, i) => ({ name: `X-${i}`, value: 'v' })) }),
    /completionCallback\/headers/,
  ),
  createRequest(
    'repository URL over 2 KB',
    { ...valid, repositoryDependencyUrl: `http://i/${'a'.repeat(2100)}` },
    /repositoryDependencyUrl/,
  ),
  createRequest(
    'repository URL with a newline',
    { ...valid, repositoryDeployUrl: 'http://indy/\nx' },
    /repositoryDeployUrl/,
  ),
  createRequest(
    'repositoryBuildContentId with a space',
    { ...valid, repositoryBuildContentId: 'build 1' },
    /repositoryBuildContentId/,
  ),
  createRequest('buildConfigId over 255', { ...valid, buildConfigId: '1'.repeat(300) }, /buildConfigId/),
  createRequest('podMemoryOverride over 32', { ...valid, podMemoryOverride: '8'.repeat(40) }, /podMemoryOverride/),
  createRequest('log-user-id over 512', valid, /headers\/log-user-id/, {
    ...INVOKER_HEADERS,
    'log-user-id': '1'.repeat(600),
  }),
  createRequest('tracestate not ASCII', valid, /headers\/tracestate/, {
    ...INVOKER_HEADERS,
    tracestate: 'vendor=café',
  }),
];

const OTHERS: BadRequest[] = [
  {
    name: '/complete with a lone surrogate in environmentId',
    method: 'PUT',
    path: '/complete',
    body: '{"environmentId":"a\\ud800"}',
    names: /body\/environmentId/,
  },
  {
    name: '/complete with a label that is no label',
    method: 'PUT',
    path: '/complete',
    body: { environmentLabel: "x' OR '1'='1" },
    names: /body\/environmentLabel/,
  },
  {
    name: '/cancel with an upper-case id',
    method: 'PUT',
    path: '/cancel/Nobody-000000',
    names: /params\/environmentId/,
  },
  {
    name: '/cancel with a 200-character id',
    method: 'PUT',
    path: `/cancel/${'a'.repeat(200)}`,
    names: /params\/environmentId/,
  },
  { name: '/cancel with a lone surrogate', method: 'PUT', path: '/cancel/a%ED%A0%80', names: /path/ },
  { name: '/environments/{id} with a NUL', method: 'GET', path: '/environments/a%00b', names: /params\/environmentId/ },
  {
    name: '/environments?label= not a label',
    method: 'GET',
    path: '/environments?label=A%20B',
    names: /querystring\/label/,
  },
  {
    name: '/environments?phase= unknown',
    method: 'GET',
    path: '/environments?phase=Gone',
    names: /querystring\/phase/,
  },
  {
    name: '/environments?limit= too big',
    method: 'GET',
    path: '/environments?limit=5000',
    names: /querystring\/limit/,
  },
];

describe('limits at the edge', () => {
  let driver: TestDriver;
  const legitimate = new Set<string>();
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it.each([...CREATE, ...OTHERS].map((request) => [request.name, request] as const))(
    'refuses %s',
    async (_name, request) => {
      await expectRefused(driver, request);
    },
  );

  it('answers 413 with the error body to a body over 1 MiB', async () => {
    await expectRefused(driver, {
      ...createRequest('a body over 1 MiB', { ...valid, padding: 'x'.repeat(1024 * 1024) }, /larger than 1048576/),
      status: 413,
    });
  });

  it('refuses a 600,000-character environmentId in /complete while serving other requests', async () => {
    const [refused, other] = await Promise.all([
      call(driver.baseUrl, 'PUT', '/complete', { environmentId: 'a'.repeat(600_000) }),
      call(driver.baseUrl, 'PUT', '/cancel/nobody-000000'),
    ]);
    expect(refused).toMatchObject({
      status: 400,
      json: { errorMessage: expect.stringMatching(/body\/environmentId/) },
    });
    expect(other).toMatchObject({ status: 200, json: { debugHost: null, debugPort: -1 } });
  });

  it("accepts log values with ', #, : and spaces, and echoes them verbatim", async () => {
    // log-process-context is rendered into the pod (templates are structural, so the quote is just text).
    const headers = {
      ...INVOKER_HEADERS,
      'log-process-context': "build 1: it's #42",
      tracestate: "vendor=it's #1: ok",
      'log-build-id': "O'Brien #7",
    };
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null), headers);
    expect(created.status).toBe(200);
    legitimate.add(created.json.environmentId);
    expect(created.json.cancel.headers).toEqual(
      expect.arrayContaining([
        { name: 'log-process-context', value: "build 1: it's #42" },
        { name: 'tracestate', value: "vendor=it's #1: ok" },
        { name: 'log-build-id', value: "O'Brien #7" },
      ]),
    );
    await call(driver.baseUrl, 'PUT', `/cancel/${created.json.environmentId}`);
    await driver.client.workflow.getHandle(created.json.environmentId).result();
  });

  it('still answers bounded query values (limit is digits, not coerced)', async () => {
    const listed = await call(driver.baseUrl, 'GET', '/environments?label=azq3l5f6dbaaa&phase=Ready&limit=1000');
    expect(listed).toMatchObject({ status: 200, json: { environments: expect.any(Array) } });
  });

  it('started no workflow for any refused request', async () => {
    await expectNoWorkflowFrom(driver, [...CREATE, ...OTHERS], legitimate);
  });
});
