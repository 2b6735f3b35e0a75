// Where configuration values come from (environment first, then the YAML file) and how they are checked.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A configuration value that is missing, malformed or out of range; the message names the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The environment plus the YAML file flattened to dotted keys (`environment-driver.build-agent.ping-path`). */
export interface ConfigSource {
  env: NodeJS.ProcessEnv;
  file: Map<string, unknown>;
}

/** A value found for a key, and the name to blame when it is invalid. */
export interface Found {
  value: unknown;
  origin: string;
}

/** Quarkus' mapping of a property name to an environment variable: `.` and `-` become `_`, upper case. */
export function environmentName(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/** Reads and flattens the YAML file; nested mappings and dotted keys end up the same. */
export function readConfigFile(path: string): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`ENVIRONMENT_DRIVER_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    throw new ConfigError(`ENVIRONMENT_DRIVER_CONFIG: ${path} is not valid YAML: ${(err as Error).message}`);
  }
  const flat = new Map<string, unknown>();
  if (document === null || document === undefined) return flat;
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(`ENVIRONMENT_DRIVER_CONFIG: ${path} must hold a YAML mapping`);
  }
  flatten(document as Record<string, unknown>, '', flat);
  return flat;
}

function flatten(node: Record<string, unknown>, prefix: string, into: Map<string, unknown>): void {
  for (const [key, value] of Object.entries(node)) {
    const name = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Record<string, unknown>, `${name}.`, into);
    } else {
      into.set(name, value);
    }
  }
}

/**
 * The first value set for any of `keys` (full dotted names, best first): every key's environment variable
 * wins over every file entry. Blank variables and null YAML values count as unset, as in Quarkus.
 */
export function lookup(source: ConfigSource, keys: readonly string[]): Found | undefined {
  for (const key of keys) {
    const name = environmentName(key);
    const value = source.env[name];
    if (value !== undefined && value.trim() !== '') return { value, origin: `${key} (from ${name})` };
  }
  for (const key of keys) {
    const value = source.file.get(key);
    if (value !== undefined && value !== null) return { value, origin: key };
  }
  return undefined;
}

/** An environment variable that is not a Java key: blank counts as unset. */
export function fromEnv(env: NodeJS.ProcessEnv, name: string): Found | undefined {
  const value = env[name];
  return value !== undefined && value.trim() !== '' ? { value, origin: name } : undefined;
}

function invalid(found: Found, expected: string): ConfigError {
  return new ConfigError(`Invalid configuration ${found.origin}: ${JSON.stringify(found.value)} is not ${expected}`);
}

export function asString(found: Found | undefined, fallback: string): string;
export function asString(found: Found | undefined, fallback: null): string | null;
export function asString(found: Found | undefined, fallback: string | null): string | null {
  if (!found) return fallback;
  const { value } = found;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(found, 'a string');
}

/** Templates are kept verbatim; whether they render is checked per environment (a bad one is a 400). */
export function asTemplate(found: Found | undefined, fallback: string): string {
  if (!found) return fallback;
  if (typeof found.value !== 'string' || found.value.trim() === '') throw invalid(found, 'a non-empty template string');
  return found.value;
}

const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(found: Found): number {
  const { value } = found;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return NaN;
}

/** A finite number ≥ 0 (`integer`: whole numbers only, as the Java driver's int keys). */
export function asNumber(
  found: Found | undefined,
  fallback: number,
  integer: boolean,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!found) return fallback;
  const parsed = toNumber(found);
  const ok = Number.isFinite(parsed) && parsed >= 0 && parsed <= max && (!integer || Number.isInteger(parsed));
  if (!ok) throw invalid(found, integer ? `an integer between 0 and ${max}` : 'a finite number ≥ 0');
  return parsed;
}

export function asBoolean(found: Found | undefined, fallback: boolean): boolean {
  if (!found) return fallback;
  const text = String(found.value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(found, 'true or false');
}

export function asChoice<T extends string>(found: Found | undefined, fallback: T, choices: readonly T[]): T {
  if (!found) return fallback;
  const text = String(found.value).trim();
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw invalid(found, `one of ${choices.join(', ')}`);
}

/** An absolute http(s) URL. */
export function asUrl(found: Found | undefined, fallback: string): string;
export function asUrl(found: Found | undefined, fallback: null): string | null;
export function asUrl(found: Found | undefined, fallback: string | null): string | null {
  const text = found ? asString(found, '') : fallback;
  if (text === null || !found) return text;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return text;
  } catch {
    // fall through to the error below
  }
  throw invalid(found, 'an absolute http(s) URL');
}
