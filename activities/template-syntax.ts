// The `%{…}` placeholder syntax of the Java driver's templates: commons-text StringSubstitutor with prefix `%{`,
// suffix `}`, escape `$` and default delimiter `:-`. Scanned once per template, when the template is compiled.

export interface Placeholder {
  /** The property looked up, e.g. `image`. */
  key: string;
  /** The text after `:-`, used when the property is unknown or null; null without a default. */
  fallback: string | null;
  /** The placeholder as written, e.g. `%{image}`: what it renders as when nothing resolves it. */
  source: string;
  /** 1-based line of the template it sits on. */
  line: number;
}

/** `$%{`: StringSubstitutor's escape, rendered as the literal text `%{`. */
export const ESCAPED_PREFIX = Symbol('escaped %{');

export type TextPart = string | Placeholder | typeof ESCAPED_PREFIX;

/** Property values by key; null and missing keys leave the placeholder literal (contract §3.2). */
export type TemplateProperties = Readonly<Record<string, string | null | undefined>>;

/** A template that cannot be compiled: the message starts with the template line to look at. */
export class TemplateCompileError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TemplateCompileError';
  }
}

const START = /\$%\{|%\{/g;
const KEY = /^[A-Za-z0-9_.-]+$/;

/** 1-based line number of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Splits template text into literal text, placeholders and escapes. Refuses what StringSubstitutor would have
 * left half-substituted: an unclosed `%{` (no `}` on its line), a nested `%{`, a key that is not a property name.
 */
export function scanPlaceholders(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  START.lastIndex = 0;
  for (let match = START.exec(text); match; match = START.exec(text)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    if (match[0] === '$%{') {
      parts.push(ESCAPED_PREFIX);
      last = START.lastIndex;
      continue;
    }
    const line = lineAt(text, match.index);
    const close = text.indexOf('}', START.lastIndex);
    const newline = text.slice(START.lastIndex).search(/[\r\n]/);
    if (close < 0 || (newline >= 0 && START.lastIndex + newline < close)) {
      throw new TemplateCompileError(`unclosed placeholder: '%{' without '}' on the same line`, line);
    }
    const source = text.slice(match.index, close + 1);
    const body = source.slice(2, -1);
    if (body.includes('%{')) throw new TemplateCompileError(`nested placeholder ${source}`, line);
    const split = body.indexOf(':-');
    const key = split >= 0 ? body.slice(0, split) : body;
    if (!KEY.test(key)) {
      throw new TemplateCompileError(`malformed placeholder ${source}: a key is letters, digits, '_', '.', '-'`, line);
    }
    parts.push({ key, fallback: split >= 0 ? body.slice(split + 2) : null, source, line });
    last = close + 1;
    START.lastIndex = last;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The property's value, else the default, else the placeholder as written; never substitutes inside a value. */
export function resolvePlaceholder(placeholder: Placeholder, properties: TemplateProperties): string {
  const value = Object.prototype.hasOwnProperty.call(properties, placeholder.key)
    ? properties[placeholder.key]
    : undefined;
  return value ?? placeholder.fallback ?? placeholder.source;
}

/** Renders text parts: the values become literal text, whatever characters they hold. */
export function renderParts(parts: readonly TextPart[], properties: TemplateProperties): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (part === ESCAPED_PREFIX) out += '%{';
    else out += resolvePlaceholder(part, properties);
  }
  return out;
}
