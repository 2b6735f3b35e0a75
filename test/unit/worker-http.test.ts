// The worker role's probe: live is the process itself; ready also needs local mode's embedded servers up.
import type { AddressInfo } from 'node:net';
import type { HealthCheck } from '../../src/api/deps';
import { createMetrics } from '../../src/metrics';
import { startWorkerHttp } from '../../src/worker-http';

describe('worker probe', () => {
  // What the probe reads; each test sets it, so none depends on another having run before it.
  let etcd: HealthCheck;
  let base: string;
  let close: () => void;
  beforeAll(async () => {
    const server = await startWorkerHttp(createMetrics(), '127.0.0.1', 0, () => [etcd]);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('is ready while every embedded server is up', async () => {
    etcd = { name: 'embedded etcd', status: 'UP', data: { restarts: 0 } };
    expect(await get('/q/health/ready')).toEqual({
      status: 200,
      body: { status: 'UP', checks: [{ name: 'Running.', status: 'UP' }, etcd] },
    });
  });

  it('is not ready, but still live, while one is down', async () => {
    etcd = { name: 'embedded etcd', status: 'DOWN', data: { restarts: 1, reason: 'killed by SIGKILL' } };
    expect(await get('/q/health/ready')).toEqual({
      status: 503,
      body: { status: 'DOWN', checks: [{ name: 'Running.', status: 'UP' }, etcd] },
    });
    expect(await get('/q/health')).toMatchObject({ status: 503 });
    expect(await get('/q/health/live')).toEqual({
      status: 200,
      body: { status: 'UP', checks: [{ name: 'Running.', status: 'UP' }] },
    });
  });
});
