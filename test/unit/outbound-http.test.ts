// The one outbound HTTP function: the service identity is appended after the caller's headers, a 401 renews a
// renewable credential exactly once, a fixed credential is never retried.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOutboundHttp, staticIdentity, type ServiceIdentity } from '../../activities/outbound-http';

/** Answers 401 to every Authorization listed in `refuse`, 200 otherwise; records what it saw. */
async function startService(refuse: string[]) {
  const seen: { headers: IncomingHttpHeaders; rawAuthorization: string[]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const rawAuthorization = req.rawHeaders.filter(
        (_, i) => req.rawHeaders[i - 1]?.toLowerCase() === 'authorization',
      );
      seen.push({ headers: req.headers, rawAuthorization, body });
      const refused = rawAuthorization.some((value) => refuse.includes(value));
      res.writeHead(refused ? 401 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`,
    seen,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Hands out `Bearer t1`, `Bearer t2`, … ; a refused value is renewed. */
function rotatingIdentity(): ServiceIdentity & { issued: number } {
  let current: string | null = null;
  const identity = {
    issued: 0,
    async authorization() {
      current ??= `Bearer t${++identity.issued}`;
      return current;
    },
    refused(value: string) {
      if (value === current) current = null;
      return true;
    },
  };
  return identity;
}

describe('outbound HTTP', () => {
  it("appends the service identity after the caller's own Authorization", async () => {
    const service = await startService([]);
    try {
      const outbound = createOutboundHttp(staticIdentity('Bearer service'));
      const headers = new Headers({ Authorization: 'Bearer invoker' });
      const response = await outbound(service.url, {
        method: 'POST',
        headers,
        body: '{}',
        timeoutMs: 5000,
        serviceAuth: true,
      });
      expect(response.status).toBe(200);
      expect(service.seen[0].headers.authorization).toBe('Bearer invoker, Bearer service');
    } finally {
      await service.stop();
    }
  });

  it('sends no identity when the call does not ask for it', async () => {
    const service = await startService([]);
    try {
      const outbound = createOutboundHttp(staticIdentity('Bearer service'));
      await outbound(service.url, { method: 'GET', timeoutMs: 5000, serviceAuth: false });
      expect(service.seen[0].headers.authorization).toBeUndefined();
    } finally {
      await service.stop();
    }
  });

  it('renews a refused token once and resends the same body', async () => {
    const service = await startService(['Bearer t1']);
    try {
      const identity = rotatingIdentity();
      const outbound = createOutboundHttp(identity);
      const response = await outbound(service.url, {
        method: 'PUT',
        body: 'payload',
        timeoutMs: 5000,
        serviceAuth: true,
      });
      expect(response.status).toBe(200);
      expect(service.seen.map((s) => [s.headers.authorization, s.body])).toEqual([
        ['Bearer t1', 'payload'],
        ['Bearer t2', 'payload'],
      ]);
    } finally {
      await service.stop();
    }
  });

  it('gives the 401 back after one renewal, and never retries a fixed credential', async () => {
    const service = await startService(['Bearer t1', 'Bearer t2', 'Bearer fixed']);
    try {
      const renewed = await createOutboundHttp(rotatingIdentity())(service.url, {
        method: 'POST',
        timeoutMs: 5000,
        serviceAuth: true,
      });
      expect(renewed.status).toBe(401);
      expect(service.seen).toHaveLength(2);
      const fixed = await createOutboundHttp(staticIdentity('Bearer fixed'))(service.url, {
        method: 'POST',
        timeoutMs: 5000,
        serviceAuth: true,
      });
      expect(fixed.status).toBe(401);
      expect(service.seen).toHaveLength(3);
    } finally {
      await service.stop();
    }
  });

  it('runs every attempt through the tracer, which may add headers', async () => {
    const service = await startService(['Bearer t1']);
    try {
      const traced: string[] = [];
      const outbound = createOutboundHttp(rotatingIdentity(), async ({ method, url, headers }, send) => {
        traced.push(`${method} ${url}`);
        headers.set('traceparent', `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b${traced.length}-01`);
        return send();
      });
      const response = await outbound(service.url, { method: 'GET', timeoutMs: 5000, serviceAuth: true });
      expect(response.status).toBe(200);
      expect(traced).toEqual([`GET ${service.url}`, `GET ${service.url}`]); // the 401 and its one retry
      expect(service.seen.map((s) => s.headers.traceparent)).toEqual([
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b1-01',
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b2-01',
      ]);
    } finally {
      await service.stop();
    }
  });
});
