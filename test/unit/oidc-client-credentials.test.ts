// The OIDC service identity against a small honest token endpoint: one token for many callers, renewal before
// expiry (clock moved, not waited for), on a 401 and after a failure; errors that name the URL, never the secret.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oidcClientCredentials } from '../../activities/identity/oidc-client-credentials';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = (seen: Seen, n: number, res: ServerResponse) => void;
const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function tokenServer(answer: Answer) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = { url: req.url!, headers: req.headers, body };
      seen.push(request);
      answer(request, seen.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    tokenRequests: () => seen.filter((s) => s.url === '/token').length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let servers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
async function start(answer: Answer) {
  const server = await tokenServer(answer);
  servers.push(server);
  return server;
}
/** Token n, valid `expiresIn` seconds (none: no `expires_in`). */
const issuing =
  (expiresIn?: number): Answer =>
  (_seen, n, res) =>
    json(res, 200, { access_token: `token-${n}`, token_type: 'Bearer', expires_in: expiresIn });

const fakeJwt = (claims: object) =>
  ['{"alg":"none"}', JSON.stringify(claims), ''].map((p) => Buffer.from(p).toString('base64url')).join('.');

function identityFor(base: string, extra: Partial<Parameters<typeof oidcClientCredentials>[0]> = {}) {
  const clock = { now: 1_000_000 };
  const identity = oidcClientCredentials({
    tokenUrl: `${base}/token`,
    issuer: null,
    clientId: 'environment driver',
    clientSecret: () => 's3cret:&=',
    requestTimeoutMs: 2000,
    now: () => clock.now,
    ...extra,
  });
  return { identity, clock };
}

describe('OIDC client credentials identity', () => {
  it('asks once for 100 concurrent callers, with client_secret_basic', async () => {
    const server = await start(issuing(300));
    const { identity } = identityFor(server.base);
    const values = await Promise.all(Array.from({ length: 100 }, () => identity.authorization()));
    expect(new Set(values)).toEqual(new Set(['Bearer token-1']));
    expect(server.tokenRequests()).toBe(1);
    const [request] = server.seen;
    expect(request.body).toBe('grant_type=client_credentials');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // RFC 6749 §2.3.1: id and secret form-encoded before the Basic encoding.
    const basic = Buffer.from(request.headers.authorization!.replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe('environment+driver:s3cret%3A%26%3D');
  });

  it.each([
    ['100 s: 10% before', 100, 90_000],
    ['1 h: a minute before', 3600, 3_540_000],
  ])('renews a token of %s expiry', async (_name, expiresIn, renewAfterMs) => {
    const server = await start(issuing(expiresIn));
    const { identity, clock } = identityFor(server.base);
    const requestedAt = clock.now;
    expect(await identity.authorization()).toBe('Bearer token-1');
    clock.now = requestedAt + renewAfterMs - 1;
    expect(await identity.authorization()).toBe('Bearer token-1');
    clock.now = requestedAt + renewAfterMs;
    expect(await identity.authorization()).toBe('Bearer token-2');
    expect(server.tokenRequests()).toBe(2);
  });

  it("takes a JWT's exp when expires_in is missing, and keeps an opaque token until a 401", async () => {
    const exp = 1_000 + 200; // seconds: 200 s after the clock's start (1_000_000 ms)
    const jwtServer = await start((_s, n, res) => json(res, 200, { access_token: fakeJwt({ exp, n }) }));
    const jwt = identityFor(jwtServer.base);
    const first = await jwt.identity.authorization();
    jwt.clock.now += 180_000 - 1;
    expect(await jwt.identity.authorization()).toBe(first);
    jwt.clock.now += 1;
    expect(await jwt.identity.authorization()).not.toBe(first);

    const opaqueServer = await start(issuing());
    const opaque = identityFor(opaqueServer.base);
    expect(await opaque.identity.authorization()).toBe('Bearer token-1');
    opaque.clock.now += 365 * 24 * 3600_000;
    expect(await opaque.identity.authorization()).toBe('Bearer token-1');
    expect(opaque.identity.refused('Bearer token-1')).toBe(true);
    expect(await opaque.identity.authorization()).toBe('Bearer token-2');
  });

  it('drops a refused token only while it is the current one', async () => {
    const server = await start(issuing(300));
    const { identity } = identityFor(server.base);
    const first = (await identity.authorization())!;
    expect(identity.refused(first)).toBe(true);
    expect(await identity.authorization()).toBe('Bearer token-2');
    // A late 401 for the old token must not throw away the new one.
    expect(identity.refused(first)).toBe(true);
    expect(await identity.authorization()).toBe('Bearer token-2');
    expect(server.tokenRequests()).toBe(2);
  });

  it('fails with the URL and status but not the secret, and tries again on the next call', async () => {
    const server = await start((_s, n, res) =>
      n === 1 ? json(res, 401, { error: 'invalid_client', error_description: 's3cret' }) : issuing(300)(_s, n, res),
    );
    const { identity } = identityFor(server.base);
    const failure = await identity.authorization().catch((error: Error) => error);
    expect((failure as Error).message).toBe(
      `Service token request to ${server.base}/token answered HTTP 401 (invalid_client)`,
    );
    expect(await identity.authorization()).toBe('Bearer token-2');
  });

  it('discovers the token endpoint once, retrying discovery that failed', async () => {
    const server = await start((seen, n, res) => {
      if (seen.url === '/realm/.well-known/openid-configuration') {
        if (n === 1) json(res, 503, {});
        else json(res, 200, { issuer: `${server.base}/realm`, token_endpoint: `${server.base}/token` });
      } else issuing(1)(seen, n, res);
    });
    const { identity, clock } = identityFor(server.base, { tokenUrl: null, issuer: `${server.base}/realm/` });
    await expect(identity.authorization()).rejects.toThrow(
      `OIDC discovery ${server.base}/realm/.well-known/openid-configuration answered HTTP 503`,
    );
    await identity.authorization();
    clock.now += 1000;
    await identity.authorization();
    expect(server.seen.map((s) => s.url)).toEqual([
      '/realm/.well-known/openid-configuration',
      '/realm/.well-known/openid-configuration',
      '/token',
      '/token',
    ]);
  });

  it('reads a rotated secret for the next token', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'oidc-secret-')), 'secret');
    writeFileSync(file, 'old\n');
    const server = await start(issuing(300));
    const { identity } = identityFor(server.base, { clientSecret: () => readFileSync(file, 'utf8').trim() });
    const first = (await identity.authorization())!;
    writeFileSync(file, 'new\n');
    identity.refused(first);
    await identity.authorization();
    const secrets = server.seen.map((s) => Buffer.from(s.headers.authorization!.slice(6), 'base64').toString());
    expect(secrets).toEqual(['environment+driver:old', 'environment+driver:new']);
  });

  it('gives up on a silent token endpoint within its timeout', async () => {
    const server = await start(() => {}); // never answers
    const { identity } = identityFor(server.base, { requestTimeoutMs: 200 });
    await expect(identity.authorization()).rejects.toThrow(`POST ${server.base}/token no answer within 200 ms`);
  });
});
