// Bad /create requests are refused at the edge: 400 with an ErrorResponse naming the field or header, before
// anything exists, neither in the cluster nor in Temporal. (The Java driver had no validation: a missing log
// header was a 500 and a bad memory override an IllegalArgumentException; 400 with a name is what a caller needs.)
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody, eventually, INVOKER_HEADERS } from '../support/invoker';
import { namespaceObjects, workflowIds } from '../support/observe';

describe('/create validation', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  async function expectRefused(body: unknown, names: RegExp, headers: Record<string, string> = INVOKER_HEADERS) {
    const response = await call(driver.baseUrl, 'POST', '/create', body, headers);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      errorType: expect.any(String),
      errorMessage: expect.stringMatching(names),
      details: null,
    });
    expect(Object.keys(response.json)).toEqual(['errorType', 'errorMessage', 'details']);
    // /create answers only after its create calls returned, so anything it made would be visible now.
    expect(await namespaceObjects(driver.kube)).toEqual([]);
  }

  it('refuses malformed JSON', async () => {
    await expectRefused('{"environmentLabel": "abc", ', /JSON/);
  });

  it.each([
    { field: 'allowSshDebug', value: 'yes', names: /allowSshDebug/ },
    { field: 'sidecarEnabled', value: 1, names: /sidecarEnabled/ },
    { field: 'imageId', value: 5, names: /imageId/ },
    { field: 'podMemoryOverride', value: 'abc', names: /podMemoryOverride.*'abc/ },
    { field: 'environmentLabel', value: 'Not A Label', names: /environmentLabel/ },
    { field: 'environmentLabel', value: 'x'.repeat(60), names: /environmentLabel/ },
    { field: 'completionCallback', value: 'http://invoker/callback', names: /completionCallback/ },
  ])('refuses $field = $value', async ({ field, value, names }) => {
    await expectRefused(createBody('http://127.0.0.1:9/callback', { [field]: value }), names);
  });

  it.each([
    { part: 'method', value: 'FOO', names: /completionCallback\/method/ },
    { part: 'uri', value: 'not a uri', names: /completionCallback\/uri/ },
    { part: 'headers', value: [{ name: 'x' }], names: /completionCallback\/headers/ },
  ])('refuses completionCallback.$part = $value', async ({ part, value, names }) => {
    const body = createBody('http://127.0.0.1:9/callback');
    await expectRefused({ ...body, completionCallback: { ...body.completionCallback, [part]: value } }, names);
  });

  it.each(['log-process-context', 'log-tmp', 'log-exp', 'log-user-id'])(
    'refuses a request without the %s header',
    async (header) => {
      const headers: Record<string, string> = { ...INVOKER_HEADERS };
      delete headers[header];
      await expectRefused(createBody(null), new RegExp(`'${header}'`), headers);
    },
  );

  it('refuses a blank log-user-id header', async () => {
    await expectRefused(createBody(null), /'log-user-id'/, { ...INVOKER_HEADERS, 'log-user-id': '  ' });
  });

  it('started no workflow for any refused request', async () => {
    // A valid request (with a property the contract does not know, which is ignored) as the control: once
    // visibility lists it, it would list the earlier ones too.
    const control = await call(driver.baseUrl, 'POST', '/create', { ...createBody(null), notInTheContract: true });
    expect(control.status).toBe(200);
    const { environmentId } = control.json;
    try {
      const ids = await eventually('the control environment listed', async () => {
        const listed = await workflowIds(driver);
        return listed.includes(environmentId) && listed;
      });
      expect(ids).toEqual([environmentId]);
    } finally {
      await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
      await driver.client.workflow.getHandle(environmentId).result();
    }
  });
});
