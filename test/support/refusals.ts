// Refused requests: the answer (status, error body naming the field) and the proof that nothing came of them,
// neither objects in the cluster nor workflows in Temporal.
import type { TestDriver } from './driver';
import { call, createBody, eventually, INVOKER_HEADERS } from './invoker';
import { namespaceObjects, workflowIds } from './observe';

export interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** A string is sent as is (raw JSON, e.g. with a lone surrogate escape). */
  body?: unknown;
  headers?: Record<string, string>;
  /** What the errorMessage must mention (the field). */
  names: RegExp;
  status?: number;
}

export const createRequest = (
  name: string,
  body: unknown,
  names: RegExp,
  headers: Record<string, string> = INVOKER_HEADERS,
): BadRequest => ({ name, method: 'POST', path: '/create', body, headers, names });

export const send = (driver: TestDriver, request: BadRequest) =>
  call(driver.baseUrl, request.method, request.path, request.body, request.headers ?? INVOKER_HEADERS);

/** Sends the request and checks the answer: the status, the ErrorResponse shape, the field named. */
export async function expectRefused(driver: TestDriver, request: BadRequest) {
  const before = await namespaceObjects(driver.kube);
  const response = await send(driver, request);
  expect(response.status).toBe(request.status ?? 400);
  expect(response.json).toEqual({
    errorType: expect.any(String),
    errorMessage: expect.stringMatching(request.names),
    details: null,
  });
  expect(Object.keys(response.json)).toEqual(['errorType', 'errorMessage', 'details']);
  // /create answers only after its create calls returned, so anything it made would be visible now.
  expect((await namespaceObjects(driver.kube)).filter((name) => !before.includes(name))).toEqual([]);
}

/**
 * Sends every request, then a valid /create as the control (with a property the contract does not know, which
 * is ignored): once visibility lists the control, it would list any workflow started before it too. Self-
 * contained: whatever ran before, only the control and the environments in `legitimate` (created on purpose by
 * other tests of the file) may be listed.
 */
export async function expectNoWorkflowFrom(
  driver: TestDriver,
  requests: BadRequest[],
  legitimate: ReadonlySet<string> = new Set(),
) {
  const statuses = [];
  for (const request of requests) statuses.push([request.name, (await send(driver, request)).status]);
  expect(statuses.filter(([, status]) => (status as number) < 400)).toEqual([]);
  const control = await call(driver.baseUrl, 'POST', '/create', { ...createBody(null), notInTheContract: true });
  expect(control.status).toBe(200);
  const { environmentId } = control.json;
  try {
    const ids = await eventually('the control environment listed', async () => {
      const listed = await workflowIds(driver);
      return listed.includes(environmentId) && listed;
    });
    expect(ids.filter((id) => id !== environmentId && !legitimate.has(id))).toEqual([]);
  } finally {
    await call(driver.baseUrl, 'PUT', `/cancel/${environmentId}`);
    await driver.client.workflow.getHandle(environmentId).result();
  }
}
