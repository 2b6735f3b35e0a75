// The `x-json-limits` schema keyword: bounds on free-form JSON (the callback's `attachment`) that JSON Schema cannot
// say: nesting depth, size as JSON, and well-formed Unicode in every string and key. The value travels into
// workflow history, where a 10,000-deep value overflows the serializer's stack and a lone surrogate is no UTF-8.
// As an `x-` property the limits also show in the OpenAPI document.
import type { Plugin } from 'ajv'; // Fastify's validator; only its plugin type is used here

export interface JsonLimits {
  maxDepth: number;
  /** Characters of the value serialized as JSON. */
  maxLength: number;
}

export const JSON_LIMITS_KEYWORD = 'x-json-limits';

// With the `u` flag a surrogate pair is one code point, so only a lone surrogate matches.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** What is wrong with `value`, as the rest of an Ajv message ("must …"), or null. */
export function jsonLimitViolation(value: unknown, limits: JsonLimits): string | null {
  // Iterative, and deeper than maxDepth is refused at once: the walk is bounded by the (size-limited) body.
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      if (LONE_SURROGATE.test(next.value)) return 'must not contain a lone UTF-16 surrogate';
      continue;
    }
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= limits.maxDepth) return `must not be nested more than ${limits.maxDepth} levels deep`;
    for (const [key, child] of Object.entries(next.value)) {
      if (LONE_SURROGATE.test(key)) return 'must not contain a lone UTF-16 surrogate (in a key)';
      pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  const length = JSON.stringify(value ?? null).length;
  if (length > limits.maxLength) return `must not be longer than ${limits.maxLength} characters as JSON`;
  return null;
}

interface KeywordValidate {
  (limits: JsonLimits, data: unknown): boolean;
  errors?: { keyword: string; message: string; params: Record<string, unknown> }[];
}

const validate: KeywordValidate = (limits, data) => {
  const violation = jsonLimitViolation(data, limits);
  validate.errors = violation ? [{ keyword: JSON_LIMITS_KEYWORD, message: violation, params: { ...limits } }] : [];
  return violation === null;
};

/** Fastify `ajv.plugins` entry registering the keyword. */
export const jsonLimitsPlugin: Plugin<unknown> = (ajv) =>
  ajv.addKeyword({
    keyword: JSON_LIMITS_KEYWORD,
    schemaType: 'object',
    errors: true,
    validate,
    metaSchema: {
      type: 'object',
      required: ['maxDepth', 'maxLength'],
      properties: { maxDepth: { type: 'integer', minimum: 1 }, maxLength: { type: 'integer', minimum: 1 } },
    },
  });
