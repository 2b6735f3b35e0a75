// Starts the real OIDC provider of oidc-provider.mjs in a child process (the package is ESM only) and verifies
// bearer tokens the way a service would: signature against the provider's JWKS, issuer, audience.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_AUDIENCE = 'urn:pnc:invoker';

export async function startOidcProvider(options: { clientSecret: string; shortTtlSeconds: number }) {
  const child = spawn(process.execPath, [require.resolve('./oidc-provider.mjs')], {
    env: { ...process.env, CLIENT_SECRET: options.clientSecret, SHORT_TTL_SECONDS: String(options.shortTtlSeconds) },
    stdio: ['pipe', 'pipe', 'ignore'], // stderr: the package's development warnings
  });
  const exited = once(child, 'exit');
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OIDC provider did not start within 20 s')), 20_000);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve((JSON.parse(out.split('\n')[0]) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the OIDC provider exited (${code}) before it listened`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));

  return {
    issuer,
    /** Token requests the provider has seen, per client id. */
    async tokenRequests(clientId: string): Promise<number> {
      const counts = (await (await fetch(`${issuer}/test/token-requests`)).json()) as Record<string, number>;
      return counts[clientId] ?? 0;
    },
    /** The claims of a valid access token of this provider, or null. */
    async verify(authorization: string | undefined): Promise<JWTPayload | null> {
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
      if (!token) return null;
      try {
        return (await jwtVerify(token, jwks, { issuer, audience: TOKEN_AUDIENCE })).payload;
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end(); // it exits when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;

export const bearerOf = (headers: IncomingHttpHeaders) => headers.authorization?.replace(/^Bearer /, '') ?? '';
