// The OpenAPI document describes the invoker's contract from the very schemas that validate requests.
import { startDriver, type TestDriver } from '../support/driver';

describe('OpenAPI document and docs page', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver({ worker: false });
  });
  afterAll(() => driver?.stop());

  it('lists the contract paths with their request schemas', async () => {
    const document = (await (await fetch(`${driver.baseUrl}/openapi.json`)).json()) as any;
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/create',
        '/complete',
        '/cancel/{environmentId}',
        '/version',
        '/environments/{environmentId}',
      ]),
    );
    const create = document.paths['/create'].post.requestBody.content['application/json'].schema;
    expect(create.properties.podMemoryOverride).toEqual({ type: 'string', nullable: true });
    expect(create.properties.environmentLabel.pattern).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
  });

  it('serves a docs page', async () => {
    const page = await fetch(`${driver.baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});
