// Bifrost's final-log upload (contract §2.1): top-level `bifrost-uploader.*` keys, as the Java driver read them,
// not under `environment-driver.`. Quarkus naming: `bifrost-uploader.api-url` ← `BIFROST_UPLOADER_API_URL`.
import { asUrl, ConfigError, environmentName, lookup, type ConfigSource, type Found } from './sources';

export const BIFROST_KEYS = ['bifrost-uploader.api-url', 'bifrost-uploader.max-delay'] as const;

export const BIFROST_ENVIRONMENT_VARIABLES: readonly string[] = BIFROST_KEYS.map(environmentName);

export interface BifrostConfig {
  /** Bifrost's base URL; null: no final log is uploaded, and callbacks wait for nothing. */
  apiUrl: string | null;
  /** The most a slow or unreachable Bifrost may delay a callback attempt, retries included. */
  maxDelayMs: number;
}

const DEFAULT_MAX_DELAY_SECONDS = 30;

export function readBifrostKeys(source: ConfigSource): BifrostConfig {
  const [apiUrlKey, maxDelayKey] = BIFROST_KEYS;
  return {
    apiUrl: asUrl(lookup(source, [apiUrlKey]), null),
    maxDelayMs: asDurationMs(lookup(source, [maxDelayKey]), DEFAULT_MAX_DELAY_SECONDS * 1000),
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIMPLE = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i;
const ISO_8601 = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i;

/**
 * A duration as Quarkus reads one: a plain number of seconds (`30`, `2.5`), a number with a unit (`500ms`, `30s`,
 * `1m`), or ISO-8601 (`PT30S`, `PT1M30S`).
 */
export function asDurationMs(found: Found | undefined, fallbackMs: number): number {
  if (!found) return fallbackMs;
  const text = String(found.value).trim();
  const simple = SIMPLE.exec(text);
  if (simple) return Math.round(Number(simple[1]) * UNIT_MS[(simple[2] ?? 's').toLowerCase()]);
  const iso = ISO_8601.exec(text);
  if (iso && text.length > 2) {
    const [hours, minutes, seconds] = [iso[1], iso[2], iso[3]].map((part) => Number(part ?? 0));
    return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
  }
  throw new ConfigError(
    `Invalid configuration ${found.origin}: ${JSON.stringify(found.value)} is not a duration (seconds, 30s, 500ms or PT30S)`,
  );
}
