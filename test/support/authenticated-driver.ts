// A driver with OIDC authentication on (no worker, a payload codec key) and the issuer that signs its tokens, for
// tests of what authentication guards. Started before the describe block's tests, stopped after them.
import { randomBytes } from 'node:crypto';
import { startDriver, type TestDriver } from './driver';
import { startOidcIssuer } from './oidc-issuer';

type Issuer = Awaited<ReturnType<typeof startOidcIssuer>>;

export function authenticatedDriver(env: Record<string, string> = {}): { driver(): TestDriver; issuer(): Issuer } {
  let issuer: Issuer;
  let driver: TestDriver;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    driver = await startDriver({
      worker: false,
      env: {
        AUTH_ENABLED: 'true',
        OIDC_ISSUER: issuer.issuer,
        PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
        ...env,
      },
    });
  });
  afterAll(async () => {
    await driver?.stop();
    await issuer?.stop();
  });
  return { driver: () => driver, issuer: () => issuer };
}
