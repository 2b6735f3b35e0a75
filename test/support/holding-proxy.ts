// Stands between the driver and the kube-apiserver: forwards every request unchanged, but holds the ones `hold`
// picks until a request `until` picks has been answered, or the test calls `release()`. Responses then arrive in an order a real network may
// or may not produce, every time — so a test about "a later call fails while an earlier one is pending" is
// deterministic.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  /** Plain-HTTP address for a kubeconfig's `server`. */
  url: string;
  /** Requests held back so far. */
  held(): number;
  /** Lets every held request (and any later one) through. */
  release(): void;
  stop(): Promise<void>;
}

export async function startHoldingProxy(
  upstream: string,
  rule: { hold(req: IncomingMessage): boolean; until?(req: IncomingMessage): boolean },
): Promise<HoldingProxy> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstreamRequest = request(
        `${upstream}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host }, rejectUnauthorized: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            if (rule.until?.(req)) release();
          });
        },
      );
      upstreamRequest.on('error', (error) => res.destroy(error));
      req.pipe(upstreamRequest);
    };
    if (rule.hold(req)) {
      held++;
      void released.then(forward);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held,
    release: () => release(),
    stop: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of a kubeconfig written by the test control plane. */
export const tokenOf = (kubeconfig: string): string => JSON.parse(readFileSync(kubeconfig, 'utf8')).users[0].user.token;

/** A kubeconfig that reaches the apiserver through the proxy at `server`, as the user of `token`. */
export function writeProxyKubeconfig(file: string, server: string, token: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'proxy', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'user', user: { token } }],
    contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'user' } }],
    'current-context': 'proxy',
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}
