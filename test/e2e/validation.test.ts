// Bad /create requests are refused at the edge: 400 with an ErrorResponse naming the field or header, before
// anything exists, neither in the cluster nor in Temporal. (The Java driver had no validation: a missing log
// header was a 500 and a bad memory override an IllegalArgumentException; 400 with a name is what a caller needs.)
import { startDriver, type TestDriver } from '../support/driver';
import { createBody, INVOKER_HEADERS } from '../support/invoker';
import { createRequest, expectNoWorkflowFrom, expectRefused, type BadRequest } from '../support/refusals';

const CALLBACK = 'http://127.0.0.1:9/callback';
const valid = createBody(CALLBACK);
const withCallback = (part: string, value: unknown) => ({
  ...valid,
  completionCallback: { ...valid.completionCallback, [part]: value },
});
const without = (header: string) => {
  const headers: Record<string, string> = { ...INVOKER_HEADERS };
  delete headers[header];
  return headers;
};

const REFUSED: BadRequest[] = [
  createRequest('malformed JSON', '{"environmentLabel": "abc", ', /JSON/),
  ...[
    { field: 'allowSshDebug', value: 'yes', names: /allowSshDebug/ },
    { field: 'sidecarEnabled', value: 1, names: /sidecarEnabled/ },
    { field: 'imageId', value: 5, names: /body\/imageId/ },
    { field: 'podMemoryOverride', value: 'abc', names: /podMemoryOverride.*'abc/ },
    { field: 'podMemoryOverride', value: '8GB', names: /podMemoryOverride.*'8GB/ },
    { field: 'environmentLabel', value: 'Not A Label', names: /environmentLabel/ },
    { field: 'environmentLabel', value: 'x'.repeat(60), names: /environmentLabel/ },
    { field: 'completionCallback', value: 'http://invoker/callback', names: /completionCallback/ },
  ].map(({ field, value, names }) =>
    createRequest(`${field} = ${String(value)}`, createBody(CALLBACK, { [field]: value }), names),
  ),
  ...[
    { part: 'method', value: 'FOO', names: /completionCallback\/method/ },
    { part: 'uri', value: 'not a uri', names: /completionCallback\/uri/ },
    { part: 'headers', value: [{ name: 'x' }], names: /completionCallback\/headers/ },
  ].map(({ part, value, names }) =>
    createRequest(`completionCallback.${part} = ${JSON.stringify(value)}`, withCallback(part, value), names),
  ),
  ...['log-process-context', 'log-tmp', 'log-exp', 'log-user-id'].map((header) =>
    createRequest(`no ${header} header`, createBody(null), new RegExp(`'${header}'`), without(header)),
  ),
  createRequest('a blank log-user-id header', createBody(null), /'log-user-id'/, {
    ...INVOKER_HEADERS,
    'log-user-id': '  ',
  }),
];

describe('/create validation', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it.each(REFUSED.map((request) => [request.name, request] as const))('refuses %s', async (_name, request) => {
    await expectRefused(driver, request);
  });

  it('started no workflow for any refused request', async () => {
    await expectNoWorkflowFrom(driver, REFUSED);
  });
});
