// The bounds on free-form JSON (the callback attachment): depth, size, well-formed Unicode.
import fc from 'fast-check';
import { jsonLimitViolation } from '../../src/api/json-limits';

const LIMITS = { maxDepth: 32, maxLength: 64 * 1024 };
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
};

describe('jsonLimitViolation', () => {
  it('accepts what JSON.parse makes of well-formed JSON within the bounds', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        fc.pre(JSON.stringify(value).length <= LIMITS.maxLength);
        expect(jsonLimitViolation(JSON.parse(JSON.stringify(value)), LIMITS)).toBeNull();
      }),
    );
  });

  it('allows 32 levels of nesting and refuses 33, however deep it goes', () => {
    expect(jsonLimitViolation(nested(32), LIMITS)).toBeNull();
    expect(jsonLimitViolation(nested(33), LIMITS)).toMatch(/nested more than 32/);
    // Deeper than any stack: the walk is iterative and stops at the limit.
    expect(jsonLimitViolation(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), LIMITS)).toMatch(/nested/);
  });

  it('refuses a lone surrogate in a value or a key, and keeps surrogate pairs', () => {
    expect(jsonLimitViolation({ a: ['ok', 'x\ud800'] }, LIMITS)).toMatch(/lone UTF-16 surrogate/);
    expect(jsonLimitViolation({ a: { '\udc00': 1 } }, LIMITS)).toMatch(/in a key/);
    expect(jsonLimitViolation({ '😀': '𝄞' }, LIMITS)).toBeNull();
  });

  it('refuses a value longer than maxLength as JSON', () => {
    expect(jsonLimitViolation('x'.repeat(LIMITS.maxLength - 2), LIMITS)).toBeNull();
    expect(jsonLimitViolation('x'.repeat(LIMITS.maxLength - 1), LIMITS)).toMatch(/longer than 65536/);
  });
});
