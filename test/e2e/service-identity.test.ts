// The driver's outbound service identity against a real OIDC provider (contract §0 "Outbound authentication"):
// callbacks and Indy calls carry a client-credentials token that the receivers verify with the provider's JWKS;
// one token serves a whole worker until it nears expiry or is refused; LDAP and the static override as well.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startDriver, type TestDriver } from '../support/driver';
import { startCallbackReceiver } from '../support/fakes';
import { bearerOf, startOidcProvider, type OidcProvider } from '../support/oidc-provider';
import { readyEnvironment } from '../support/ready-environment';

const CLIENT_SECRET = `client-secret-${randomBytes(8).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'service-identity-'));
const secretFile = join(dir, 'client-secret');
writeFileSync(secretFile, `${CLIENT_SECRET}\n`);

let provider: OidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider({ clientSecret: CLIENT_SECRET, shortTtlSeconds: 6 });
});
afterAll(() => provider?.stop());

const oidcEnv = (clientId: string) => ({
  OIDC_CLIENT_ID: clientId,
  OIDC_CLIENT_ISSUER: provider.issuer, // the token endpoint is discovered
  OIDC_CLIENT_SECRET_FILE: secretFile,
});

/** Indy's token endpoint, answering 401 to a caller without a valid token of the provider. */
async function startVerifyingIndy() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    void provider.verify(req.headers.authorization).then((claims) => {
      res.writeHead(claims ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: 'indy-token' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every string of the environment's history, also base64-decoded (payloads). */
async function historyText(driver: TestDriver, environmentId: string): Promise<string> {
  const strings: string[] = [];
  JSON.stringify(await driver.client.workflow.getHandle(environmentId).fetchHistory(), (_k, v) => {
    if (typeof v === 'string') strings.push(v, Buffer.from(v, 'base64').toString('latin1'));
    return v;
  });
  return strings.join('\n');
}

async function expectNoSecretsInHistory(driver: TestDriver, environmentIds: string[], secrets: string[]) {
  for (const id of environmentIds) {
    const text = await historyText(driver, id);
    expect(text).toContain(id); // the search does look at the history
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

/** Brings an environment to Ready; its build agent is stopped after the test. */
const agents: { stop(): Promise<void> }[] = [];
async function ready(...args: Parameters<typeof readyEnvironment>) {
  const environment = await readyEnvironment(...args);
  agents.push(environment.agent);
  return environment;
}

describe('outbound service identity', () => {
  let driver: TestDriver | undefined;
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });

  it('one client-credentials token serves all callbacks and Indy calls of a worker, verified by the receivers', async () => {
    const indy = await startVerifyingIndy();
    const receiver = await startCallbackReceiver({
      authorize: async (h) => (await provider.verify(h.authorization)) !== null,
    });
    try {
      const before = await provider.tokenRequests('environment-driver');
      driver = await startDriver({ env: { ...oidcEnv('environment-driver'), INDY_URL: indy.url } });
      // Concurrent creates: their Indy calls ask the identity for a token at the same time.
      const environments = await Promise.all(
        Array.from({ length: 5 }, (_, i) => ready(driver!, receiver, { environmentLabel: `identity${i}` })),
      );
      await receiver.next(5);
      expect(receiver.all).toHaveLength(5); // none refused
      expect(indy.seen).toHaveLength(5);
      const tokens = new Set(
        [...receiver.received, ...indy.seen.map((headers) => ({ headers }))].map((r) => bearerOf(r.headers)),
      );
      expect(tokens.size).toBe(1);
      const [token] = tokens;
      expect(await provider.verify(`Bearer ${token}`)).toMatchObject({ client_id: 'environment-driver' });
      expect((await provider.tokenRequests('environment-driver')) - before).toBe(1);
      await expectNoSecretsInHistory(
        driver,
        environments.map((e) => e.environmentId),
        [token, CLIENT_SECRET],
      );
    } finally {
      await receiver.stop();
      await indy.stop();
    }
  });

  it('asks for a new token once the cached one expires', async () => {
    const receiver = await startCallbackReceiver({
      authorize: async (h) => (await provider.verify(h.authorization)) !== null,
    });
    try {
      driver = await startDriver({ env: oidcEnv('environment-driver-short') }); // 6 s tokens
      const first = await ready(driver, receiver, { environmentLabel: 'expiry1' });
      const firstToken = bearerOf(receiver.received[0].headers);
      // Wait (not assert) until that token is past its exp: the next callback cannot use it.
      const exp = decodeJwt(firstToken).exp! * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp - Date.now() + 200)));
      const second = await ready(driver, receiver, { environmentLabel: 'expiry2' });
      const secondToken = bearerOf(receiver.received[1].headers);
      expect(secondToken).not.toBe(firstToken);
      expect(receiver.all).toHaveLength(2); // both accepted as valid on arrival
      expect(await provider.tokenRequests('environment-driver-short')).toBe(2);
      await expectNoSecretsInHistory(driver, [first.environmentId, second.environmentId], [firstToken, secondToken]);
    } finally {
      await receiver.stop();
    }
  });

  it('retries a refused callback once with a fresh token', async () => {
    let revoked: string | undefined;
    const receiver = await startCallbackReceiver({
      // The first token it sees counts as revoked: valid signature, but refused.
      authorize: async (h) => {
        revoked ??= bearerOf(h);
        return bearerOf(h) !== revoked && (await provider.verify(h.authorization)) !== null;
      },
    });
    try {
      const before = await provider.tokenRequests('environment-driver');
      driver = await startDriver({ env: oidcEnv('environment-driver') });
      const environment = await ready(driver, receiver, { environmentLabel: 'refused' });
      expect(receiver.all).toHaveLength(2); // the refused call and its one retry
      const fresh = bearerOf(receiver.received[0].headers);
      expect(fresh).not.toBe(revoked);
      expect((await provider.tokenRequests('environment-driver')) - before).toBe(2);
      await expectNoSecretsInHistory(driver, [environment.environmentId], [revoked!, fresh, CLIENT_SECRET]);
    } finally {
      await receiver.stop();
    }
  });

  it('sends Basic of the LDAP credentials file', async () => {
    const credentials = join(dir, 'ldap');
    writeFileSync(credentials, 'pnc-builder:ldap-pa55word\n');
    const receiver = await startCallbackReceiver();
    try {
      driver = await startDriver({ env: { CLIENT_AUTH_TYPE: 'ldap', CLIENT_AUTH_LDAP_CREDENTIALS_FILE: credentials } });
      const environment = await ready(driver, receiver, { environmentLabel: 'ldap' });
      const basic = `Basic ${Buffer.from('pnc-builder:ldap-pa55word').toString('base64')}`;
      expect(receiver.received[0].headers.authorization).toBe(basic);
      await expectNoSecretsInHistory(driver, [environment.environmentId], ['ldap-pa55word', basic]);
    } finally {
      await receiver.stop();
    }
  });

  it('lets CALLBACK_AUTHORIZATION override the client credentials', async () => {
    const receiver = await startCallbackReceiver();
    try {
      const before = await provider.tokenRequests('environment-driver');
      driver = await startDriver({
        env: { ...oidcEnv('environment-driver'), CALLBACK_AUTHORIZATION: 'Bearer static-override' },
      });
      await ready(driver, receiver, { environmentLabel: 'override' });
      expect(receiver.received[0].headers.authorization).toBe('Bearer static-override');
      expect(await provider.tokenRequests('environment-driver')).toBe(before);
    } finally {
      await receiver.stop();
    }
  });
});
