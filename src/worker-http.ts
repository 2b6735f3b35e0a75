// The worker role serves no API, but orchestrators still probe it and Prometheus still scrapes it.
import { createServer, type Server } from 'node:http';
import type { HealthCheck } from './api/deps';
import type { DriverMetrics } from './metrics';

/** `embeddedChecks`: local mode's embedded servers; the probe is DOWN while one of them is. */
export function startWorkerHttp(
  metrics: DriverMetrics,
  host: string,
  port: number,
  embeddedChecks: () => HealthCheck[] = () => [],
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    } else if (request.url?.startsWith('/q/health')) {
      // Liveness is the process itself; readiness includes the embedded servers.
      const live = request.url.startsWith('/q/health/live') || request.url.startsWith('/q/health/started');
      const checks: HealthCheck[] = [{ name: 'Running.', status: 'UP' }, ...(live ? [] : embeddedChecks())];
      const up = checks.every((check) => check.status === 'UP');
      response
        .writeHead(up ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: up ? 'UP' : 'DOWN', checks }));
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
