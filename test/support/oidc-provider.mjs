// A real OIDC provider (the `oidc-provider` package) for the outbound identity tests, in its own process because
// the package is ESM only. Issues JWT access tokens by client credentials; counts token requests per client.
// Prints {"issuer": ...} once listening; exits when its stdin closes (the test process went away) or on SIGTERM.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const secret = process.env.CLIENT_SECRET;
const shortTtl = Number(process.env.SHORT_TTL_SECONDS ?? '6');
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'provider-key', alg: 'RS256', use: 'sig' };

const client = (id) => ({
  client_id: id,
  client_secret: secret,
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
});
const tokenRequests = {};

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const provider = new Provider(issuer, {
  clients: [client('environment-driver'), client('environment-driver-short')],
  jwks: { keys: [jwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:pnc:invoker',
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource, c) => ({
        scope: '',
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: c.clientId.endsWith('-short') ? shortTtl : 3600,
      }),
    },
  },
});
provider.use(async (ctx, next) => {
  if (ctx.path === '/test/token-requests') {
    ctx.body = tokenRequests;
    return;
  }
  if (ctx.path === '/token' && ctx.method === 'POST') {
    const basic = Buffer.from((ctx.get('authorization') || '').replace(/^Basic /, ''), 'base64').toString();
    const id = decodeURIComponent(basic.split(':')[0]);
    tokenRequests[id] = (tokenRequests[id] ?? 0) + 1;
  }
  await next();
});
server.on('request', provider.callback());

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
const stop = () => server.close(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
