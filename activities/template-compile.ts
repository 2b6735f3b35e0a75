// Compiles a YAML template once into a tree whose string scalars hold placeholder positions. Values are put into
// that tree later (render), never into YAML text: a value cannot add a key, close a quote or start a document.
import { randomBytes } from 'node:crypto';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { INTEGER_PROPERTIES, isIntegerText } from './template-properties';
import {
  ESCAPED_PREFIX,
  lineAt,
  renderParts,
  resolvePlaceholder,
  scanPlaceholders,
  TemplateCompileError,
  type Placeholder,
  type TemplateProperties,
  type TextPart,
} from './template-syntax';

export type CompiledNode =
  | { kind: 'value'; value: unknown }
  | { kind: 'text'; parts: TextPart[] }
  | { kind: 'integer'; placeholder: Placeholder }
  | { kind: 'mapping'; entries: [string, CompiledNode][] }
  | { kind: 'sequence'; items: CompiledNode[] };

export type CompiledMapping = Extract<CompiledNode, { kind: 'mapping' }>;

export interface CompiledYaml {
  root: CompiledMapping;
  /** Line of each top-level key, for errors found after compiling (kind, metadata). */
  lines: Map<string, number>;
}

const STRING_TAG = 'tag:yaml.org,2002:str';

/**
 * Parses the template with each placeholder replaced by an alphanumeric token, which is valid in every YAML
 * position (plain, quoted, block, flow), so the template's structure is fixed before any value exists.
 * Refuses anchors, aliases and merge keys (no value may be shared or expanded), placeholders in keys or tags.
 */
export function compileYaml(source: string): CompiledYaml {
  const scanned = scanPlaceholders(source);
  let nonce: string;
  do nonce = `pnc${randomBytes(8).toString('hex')}`;
  while (source.includes(nonce));
  // A default stays template text between two tokens, so YAML unescapes it like the rest of its scalar.
  const placeholders: Placeholder[] = [];
  const tokenOf = (part: Placeholder) => {
    const index = placeholders.push(part) - 1;
    return part.fallback === null ? `${nonce}P${index}Z` : `${nonce}P${index}D${part.fallback}${nonce}Z`;
  };
  const text = scanned
    .map((part) => (typeof part === 'string' ? part : part === ESCAPED_PREFIX ? `${nonce}E` : tokenOf(part)))
    .join('');
  const token = new RegExp(`${nonce}(?:E|P(\\d+)(?:Z|D([\\s\\S]*?)${nonce}Z))`, 'g');
  const restore = (s: string) =>
    s.replace(token, (_t, i?: string) => (i === undefined ? '$%{' : placeholders[+i].source));
  const fail = (reason: string, offset: number | undefined): never => {
    throw new TemplateCompileError(restore(reason), offset === undefined ? 1 : lineAt(text, offset));
  };

  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) fail(`not valid YAML: ${doc.errors[0].message}`, doc.errors[0].pos[0]);

  /** Literal text and placeholders of a scalar's parsed value (with its default as YAML read it). */
  const split = (value: string, offset: number | undefined): TextPart[] => {
    const parts: TextPart[] = [];
    let last = 0;
    const literal = (end: number) => {
      const text = value.slice(last, end);
      if (text.includes(nonce)) fail('the default of a placeholder spans more than its YAML scalar', offset);
      if (text) parts.push(text);
    };
    for (const match of value.matchAll(token)) {
      literal(match.index);
      const [, index, fallback] = match;
      if (index === undefined) parts.push(ESCAPED_PREFIX);
      else parts.push(fallback === undefined ? placeholders[+index] : { ...placeholders[+index], fallback });
      last = match.index + match[0].length;
    }
    literal(value.length);
    return parts;
  };

  const checkNode = (node: { anchor?: string; tag?: string; range?: [number, number, number] | null }) => {
    if (node.anchor) fail(`YAML anchors (&${node.anchor}) are not allowed in templates`, node.range?.[0]);
    if (node.tag?.includes(nonce)) fail(`a placeholder cannot be a YAML tag`, node.range?.[0]);
  };

  const compileScalar = (scalar: Scalar): CompiledNode => {
    if (typeof scalar.value !== 'string' || !scalar.value.includes(nonce))
      return { kind: 'value', value: scalar.value };
    if (scalar.tag && scalar.tag !== STRING_TAG) {
      fail(`a scalar with a placeholder can only be tagged !!str, not ${scalar.tag}`, scalar.range?.[0]);
    }
    const parts = split(scalar.value, scalar.range?.[0]);
    const [only] = parts;
    const typed =
      parts.length === 1 &&
      scalar.type === 'PLAIN' &&
      !scalar.tag &&
      typeof only === 'object' &&
      INTEGER_PROPERTIES.has(only.key);
    if (!typed) return { kind: 'text', parts };
    if (only.fallback !== null && !isIntegerText(only.fallback)) {
      fail(`the default of integer placeholder ${only.source} is not an integer`, scalar.range?.[0]);
    }
    return { kind: 'integer', placeholder: only };
  };

  const compileKey = (key: unknown): string => {
    if (isAlias(key)) fail('YAML aliases are not allowed in templates', key.range?.[0]);
    if (!isScalar(key)) return fail('mapping keys must be scalars', (key as Scalar | null)?.range?.[0]);
    checkNode(key);
    if (key.type === 'PLAIN' && (key.source === '<<' || typeof key.value === 'symbol')) {
      fail('YAML merge keys (<<) are not allowed in templates', key.range?.[0]);
    }
    const compiled = compileScalar(key);
    if (compiled.kind === 'value') return String(compiled.value ?? '');
    if (compiled.kind === 'text' && compiled.parts.every((part) => typeof part !== 'object')) {
      return renderParts(compiled.parts, {}); // only escaped `%{`: a literal key
    }
    return fail(`a placeholder cannot be a mapping key (${restore(String(key.value))})`, key.range?.[0]);
  };

  const compileNode = (node: unknown): CompiledNode => {
    if (node === null || node === undefined) return { kind: 'value', value: null };
    if (isAlias(node)) return fail(`YAML aliases (*${node.source}) are not allowed in templates`, node.range?.[0]);
    if (isPair(node)) return { kind: 'mapping', entries: [[compileKey(node.key), compileNode(node.value)]] };
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return fail('unsupported YAML node', undefined);
    checkNode(node);
    if (isScalar(node)) return compileScalar(node);
    if (isSeq(node)) return { kind: 'sequence', items: node.items.map(compileNode) };
    return { kind: 'mapping', entries: node.items.map((pair) => [compileKey(pair.key), compileNode(pair.value)]) };
  };

  const root = compileNode(doc.contents);
  if (root.kind !== 'mapping' || !isMap(doc.contents)) {
    return fail('the template is not a YAML mapping (a Kubernetes object)', doc.contents?.range?.[0]);
  }
  const lines = new Map<string, number>();
  doc.contents.items.forEach((pair, i) => lines.set(root.entries[i][0], lineAt(text, (pair.key as Scalar).range![0])));
  return { root, lines };
}

/** Builds a fresh object from the compiled tree: shared nothing between renders, prototype keys kept as data. */
export function renderNode(node: CompiledNode, properties: TemplateProperties): unknown {
  switch (node.kind) {
    case 'value': // a primitive, or (YAML 1.1 timestamps, binary) an object each render gets its own copy of
      return typeof node.value === 'object' && node.value !== null ? structuredClone(node.value) : node.value;
    case 'text':
      return renderParts(node.parts, properties);
    case 'integer': {
      const value = resolvePlaceholder(node.placeholder, properties);
      // Unresolved, it stays the literal placeholder text, as every unknown key does.
      return isIntegerText(value) ? Number(value) : value;
    }
    case 'sequence':
      return node.items.map((item) => renderNode(item, properties));
    case 'mapping': {
      const object: Record<string, unknown> = {};
      for (const [key, value] of node.entries) {
        Object.defineProperty(object, key, {
          value: renderNode(value, properties),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}
