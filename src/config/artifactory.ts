// Artifactory build-agent tokens (contract §3.9): the Java driver's `environment-driver.artifactory.*` keys.
// When enabled, the token comes from Artifactory instead of Indy (Java: one or the other).
import { asBoolean, asString, asUrl, ConfigError, environmentName, lookup, type ConfigSource } from './sources';

export const ARTIFACTORY_KEYS = [
  'artifactory.enabled',
  'artifactory.url',
  'artifactory.access-token',
  'artifactory.token-expiry',
  'artifactory.fixed-scope.enabled',
  'artifactory.fixed-scope.scope',
  'artifactory.use-reference-token',
  'artifactory.default-deploy-repo',
  'artifactory.default-dependency-repo',
] as const;
type ArtifactoryKey = (typeof ARTIFACTORY_KEYS)[number];

export const ARTIFACTORY_ENVIRONMENT_VARIABLES: readonly string[] = ARTIFACTORY_KEYS.map((key) =>
  environmentName(`environment-driver.${key}`),
);

export interface ArtifactoryConfig {
  /** Base URL; the token API is `{url}/access/api/v1/tokens`. */
  url: string;
  /** Secret: the admin token that mints and revokes (`Authorization: Bearer …`). Never log it. */
  accessToken: string;
  scope: string;
  expirySeconds: number;
  useReferenceToken: boolean;
  /** Fallbacks for requests without repositoryDependencyUrl / repositoryDeployUrl: `{url}/artifactory/<repo>/`. */
  defaultDependencyUrl: string | null;
  defaultDeployUrl: string | null;
}

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A duration as Quarkus reads it: ISO-8601 (`PT3H`), a bare number of seconds, `<n>ms`, or a shorthand without
 * the `PT` (`3H`, the Java driver's code default). Returns seconds, or NaN when it is none of these.
 */
export function durationSeconds(text: string): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d+ms$/i.test(value)) return Number(value.slice(0, -2)) / 1000;
  const iso = /^\d/.test(value) ? (/d$/i.test(value) ? `P${value}` : `PT${value}`) : value;
  const match = ISO_DURATION.exec(iso);
  if (!match || iso.toUpperCase() === 'P' || iso.toUpperCase().endsWith('T')) return NaN;
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return days * 86400 + hours * 3600 + minutes * 60 + seconds;
}

/** The Artifactory settings, or null when `artifactory.enabled` is not true. Throws ConfigError naming the key. */
export function readArtifactory(source: ConfigSource): ArtifactoryConfig | null {
  const find = (key: ArtifactoryKey) => lookup(source, [`environment-driver.${key}`]);
  if (!asBoolean(find('artifactory.enabled'), false)) return null;
  const required = (key: ArtifactoryKey) => {
    const value = asString(find(key), null);
    if (!value) throw new ConfigError(`environment-driver.${key} is required when artifactory.enabled is true`);
    return value;
  };
  const url = asUrl(find('artifactory.url'), null);
  if (!url) throw new ConfigError('environment-driver.artifactory.url is required when artifactory.enabled is true');
  // Java throws NotImplementedException on every create without a fixed scope: refuse to start instead.
  if (!asBoolean(find('artifactory.fixed-scope.enabled'), true)) {
    throw new ConfigError(
      'environment-driver.artifactory.fixed-scope.enabled=false: dynamic scopes are not implemented',
    );
  }
  const expiry = find('artifactory.token-expiry');
  const expirySeconds = Math.floor(durationSeconds(asString(expiry, 'PT3H')));
  if (!(expirySeconds > 0)) {
    throw new ConfigError(
      `Invalid configuration ${expiry?.origin}: ${JSON.stringify(expiry?.value)} is not a duration`,
    );
  }
  // Java: URI.resolve("/artifactory/<repo>/"), an absolute path on the Artifactory host.
  const repoUrl = (key: ArtifactoryKey) => {
    const repo = asString(find(key), null);
    return repo ? new URL(`/artifactory/${encodeURIComponent(repo)}/`, url).toString() : null;
  };
  return {
    url,
    accessToken: required('artifactory.access-token'),
    scope: required('artifactory.fixed-scope.scope'),
    expirySeconds,
    useReferenceToken: asBoolean(find('artifactory.use-reference-token'), true),
    defaultDependencyUrl: repoUrl('artifactory.default-dependency-repo'),
    defaultDeployUrl: repoUrl('artifactory.default-deploy-repo'),
  };
}
