// The worker role serves no API, but orchestrators still probe it and Prometheus still scrapes it.
import { createServer, type Server } from 'node:http';
import type { DriverMetrics } from './metrics';

export function startWorkerHttp(metrics: DriverMetrics, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    } else if (request.url?.startsWith('/q/health')) {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"status":"UP","checks":[{"name":"Running.","status":"UP"}]}');
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
