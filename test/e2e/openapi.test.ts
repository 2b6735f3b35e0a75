// The OpenAPI document describes the invoker's contract from the very schemas that validate requests.
import { randomBytes } from 'node:crypto';
import { startDriver, type TestDriver } from '../support/driver';

describe('OpenAPI document and docs page', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    // With a codec key, so the codec endpoints are in the document too.
    driver = await startDriver({ worker: false, env: { PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64') } });
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
    expect(create.properties.podMemoryOverride).toMatchObject({ type: 'string', nullable: true, maxLength: 32 });
    expect(create.properties.environmentLabel.pattern).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
    // Free-form JSON says its bounds too.
    expect(create.properties.completionCallback.properties.attachment).toEqual({
      'x-json-limits': { maxDepth: 32, maxLength: 65536 },
    });
  });

  it('bounds every string the API reads: maxLength and a pattern in bodies, paths, queries and headers', async () => {
    const document = (await (await fetch(`${driver.baseUrl}/openapi.json`)).json()) as any;
    const unbounded: string[] = [];
    let strings = 0;
    const walk = (schema: any, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const types = [schema.type].flat();
      if (types.includes('string')) {
        strings++;
        if (typeof schema.maxLength !== 'number' || typeof schema.pattern !== 'string') unbounded.push(where);
      }
      for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, `${where}/${key}`);
      for (const key of ['items', 'additionalProperties', 'propertyNames'])
        if (typeof schema[key] === 'object') walk(schema[key], `${where}/${key}`);
      for (const key of ['anyOf', 'oneOf', 'allOf'])
        for (const [i, child] of (schema[key] ?? []).entries()) walk(child, `${where}/${key}/${i}`);
    };
    let operations = 0;
    for (const [path, methods] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        operations++;
        for (const parameter of operation.parameters ?? [])
          walk(parameter.schema, `${method} ${path} ${parameter.in} ${parameter.name}`);
        for (const [type, content] of Object.entries<any>(operation.requestBody?.content ?? {}))
          walk(content.schema, `${method} ${path} body(${type})`);
      }
    }
    expect(unbounded).toEqual([]);
    // The walk really saw the API: the create body, its headers, ids in paths, the listing's query, the codec.
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/codec/decode', '/environments']));
    expect(operations).toBeGreaterThanOrEqual(8);
    expect(strings).toBeGreaterThanOrEqual(30);
  });

  it('serves a docs page', async () => {
    const page = await fetch(`${driver.baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});
