// Honest HTTP fakes for what lies outside our boundary: the invoker's callback receiver, a build agent, Indy.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
  at: number;
  /** The caller's TCP port: with socket-owner.ts, which process sent it. */
  remotePort?: number;
}

function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface ReceiverOptions {
  /** Answer the first n requests with `failStatus` (default 503) before accepting. */
  failFirst?: number;
  failStatus?: number;
  /** Runs before the n-th request (1-based, refused ones included) is answered: e.g. freeze or kill a worker. */
  beforeAnswer?: (n: number, request: ReceivedRequest) => Promise<void> | void;
  /** Runs once the n-th answer has been handed to the kernel. */
  afterAnswer?: (n: number) => Promise<void> | void;
  /** Checks the caller (e.g. its bearer token): false is answered 401, as the invoker would. */
  authorize?: (headers: IncomingMessage['headers']) => Promise<boolean>;
}

/** The invoker: records every callback; answers `failFirst` requests with `failStatus` before accepting. */
export async function startCallbackReceiver(options: ReceiverOptions = {}) {
  const received: ReceivedRequest[] = [];
  /** Every request, refused ones included, in arrival order. */
  const all: ReceivedRequest[] = [];
  let failuresLeft = options.failFirst ?? 0;
  let attempts = 0;
  const waiters: (() => void)[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const n = ++attempts;
    const request = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      remotePort: req.socket.remotePort,
    };
    all.push({ ...request, at: Date.now() });
    await options.beforeAnswer?.(n, all[all.length - 1]);
    if (options.authorize && !(await options.authorize(req.headers))) {
      res.writeHead(401).end();
      return;
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(options.failStatus ?? 503).end();
      return;
    }
    received.push({ ...request, at: Date.now() });
    await new Promise<void>((resolve) => {
      res.once('close', () => resolve()); // the caller may be dead already
      res.writeHead(204).end(() => resolve());
    });
    waiters.splice(0).forEach((wake) => wake());
    await options.afterAnswer?.(n);
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      answer(req, res, body).catch((error: unknown) => {
        process.stderr.write(`callback receiver hook failed: ${String(error)}\n`);
        res.destroy();
      });
    });
  });
  const port = await listen(server, '127.0.0.1');
  return {
    url: (path = '/callback') => `http://127.0.0.1:${port}${path}`,
    received,
    all,
    attempts: () => attempts,
    /** Waits for the n-th accepted callback (1-based). */
    async next(n = received.length + 1, timeoutMs = 60_000): Promise<ReceivedRequest> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`no callback #${n} within ${timeoutMs} ms (got ${received.length})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
      return received[n - 1];
    },
    stop: () => close(server),
  };
}

/** A build agent on a Service's cluster IP (a loopback address here): answers HEAD with `status()`. */
export async function startBuildAgent(
  host: string,
  port: number,
  status: (request: IncomingMessage) => number = () => 200,
) {
  const pings: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    pings.push({
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: '',
      at: Date.now(),
    });
    res.writeHead(status(req)).end();
  });
  await listen(server, host, port);
  return { pings, stop: () => close(server) };
}

/** Indy's token endpoint: records each request, answers `status` with `{"token": "indy-token-<n>"}`. */
export async function startFakeIndy(status = 200) {
  const requests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ url: req.url!, headers: req.headers, body });
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `indy-token-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
