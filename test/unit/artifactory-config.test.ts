// The Java driver's `environment-driver.artifactory.*` keys: read from YAML or environment, checked at start.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVER_KEY_ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config';
import { durationSeconds } from '../../src/config/artifactory';

const ENABLED = {
  ENVIRONMENT_DRIVER_ARTIFACTORY_ENABLED: 'true',
  ENVIRONMENT_DRIVER_ARTIFACTORY_URL: 'https://artifactory.example.com/',
  ENVIRONMENT_DRIVER_ARTIFACTORY_ACCESS_TOKEN: 'admin',
  ENVIRONMENT_DRIVER_ARTIFACTORY_FIXED_SCOPE_SCOPE: 'applied-permissions/roles:pnc:Builder',
};

describe('artifactory configuration', () => {
  it('is off by default, and then Indy stays the token source', () => {
    const config = loadConfig({ INDY_URL: 'http://indy' });
    expect(config.artifactory).toBeNull();
    expect(config.indyUrl).toBe('http://indy');
    expect(config.templateDefaults).not.toHaveProperty('defaultDeployUrl');
  });

  it('replaces Indy when enabled, with the Java defaults (PT3H, reference tokens)', () => {
    const config = loadConfig({ ...ENABLED, INDY_URL: 'http://indy' });
    expect(config.indyUrl).toBeNull();
    expect(config.artifactory).toEqual({
      url: 'https://artifactory.example.com/',
      accessToken: 'admin',
      scope: 'applied-permissions/roles:pnc:Builder',
      expirySeconds: 10800,
      useReferenceToken: true,
      defaultDependencyUrl: null,
      defaultDeployUrl: null,
    });
  });

  it('reads the Java YAML section, and resolves default repositories on the Artifactory host as Java did', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'artifactory-config-')), 'config.yaml');
    writeFileSync(
      path,
      `environment-driver:
  artifactory:
    enabled: true
    url: "https://pnc-artifactory.org/some/path"
    access-token: "ABCD"
    token-expiry: PT90M
    use-reference-token: false
    default-deploy-repo: pnc-builds
    default-dependency-repo: pnc-deps
    fixed-scope:
      enabled: true
      scope: "applied-permissions/roles:pnc:Builder"
`,
    );
    const config = loadConfig({}, { file: path });
    expect(config.artifactory).toMatchObject({ accessToken: 'ABCD', expirySeconds: 5400, useReferenceToken: false });
    expect(config.templateDefaults).toMatchObject({
      defaultDeployUrl: 'https://pnc-artifactory.org/artifactory/pnc-builds/',
      defaultDependencyUrl: 'https://pnc-artifactory.org/artifactory/pnc-deps/',
    });
  });

  it.each([
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_URL', '', /artifactory\.url is required/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_URL', 'not a url', /absolute http/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_ACCESS_TOKEN', '', /artifactory\.access-token is required/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_FIXED_SCOPE_SCOPE', '', /fixed-scope\.scope is required/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_FIXED_SCOPE_ENABLED', 'false', /dynamic scopes are not implemented/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_TOKEN_EXPIRY', 'three hours', /TOKEN_EXPIRY.*not a duration/],
    ['ENVIRONMENT_DRIVER_ARTIFACTORY_TOKEN_EXPIRY', 'PT0S', /not a duration/],
  ])('refuses to start when %s is %j', (name, value, message) => {
    expect(() => loadConfig({ ...ENABLED, [name]: value })).toThrow(message);
  });

  it('never echoes the admin token in a configuration error', () => {
    expect(() => loadConfig({ ...ENABLED, ENVIRONMENT_DRIVER_ARTIFACTORY_URL: '' })).not.toThrow(/admin/);
  });

  it('lists its environment variables', () => {
    expect(DRIVER_KEY_ENVIRONMENT_VARIABLES).toEqual(expect.arrayContaining(Object.keys(ENABLED)));
  });
});

describe('durationSeconds (Quarkus durations)', () => {
  it.each([
    ['PT3H', 10800],
    ['3H', 10800], // the Java driver's code default
    ['pt1h30m', 5400],
    ['P1D', 86400],
    ['2d', 172800],
    ['PT0.5S', 0.5],
    ['600', 600],
    ['1500ms', 1.5],
  ])('%s is %d s', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  it.each(['', 'P', 'PT', 'H3', '3 hours', 'P1H'])('%j is not a duration', (text) =>
    expect(durationSeconds(text)).toBeNaN(),
  );
});
