// Graceful shutdown (contract §3.8): once the adapter is stopping, /create gets 503 with no body and starts
// nothing; environments already running are durable and carry on with any worker.
import { startDriver, type TestDriver } from '../support/driver';
import { call, createBody } from '../support/invoker';
import { namespaceObjects } from '../support/observe';

describe('a REST adapter that is shutting down', () => {
  let driver: TestDriver;
  beforeAll(async () => {
    driver = await startDriver();
  });
  afterAll(() => driver?.stop());

  it('answers /create with 503 and an empty body, and creates nothing', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      const response = await call(driver.baseUrl, 'POST', '/create', createBody(null));
      expect(response).toMatchObject({ status: 503, text: '' });
      expect(await namespaceObjects(driver.kube)).toEqual([]);
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });

  it('refuses before looking at the request: even a request that would be a 400 gets the 503', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      const response = await call(driver.baseUrl, 'POST', '/create', createBody(null, { podMemoryOverride: 'abc' }));
      expect(response).toMatchObject({ status: 503, text: '' });
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });

  it('still serves /cancel, which the Java driver never gated', async () => {
    driver.lifecycle.shuttingDown = true;
    try {
      expect((await call(driver.baseUrl, 'PUT', '/cancel/unknown-abcdef')).status).toBe(200);
    } finally {
      driver.lifecycle.shuttingDown = false;
    }
  });
});
