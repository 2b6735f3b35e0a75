// Property: whatever a request value or a log/trace header holds, the objects built from the templates are the
// objects built from a benign value, with the hostile value exactly where the benign one was — never another key,
// list item, document, type or object.
import fc from 'fast-check';
import { renderDebugObjects, renderEnvironmentObjects, type TemplateDeps } from '../../activities/environment-objects';
import { compileEnvironmentTemplates, type EnvironmentTemplateSources } from '../../activities/templates';
import type { EnvironmentInput } from '../../workflows/types';
import {
  DEFAULT_TEMPLATES,
  JAVA_TEMPLATES,
  JAVA_UNQUOTED_TEMPLATES,
  TEMPLATE_DEFAULTS,
  templateInput,
} from '../support/template-fixtures';

type RequestField = 'imageId' | 'repositoryDependencyUrl' | 'repositoryDeployUrl' | 'repositoryBuildContentId';
type ContextField = 'processContext' | 'tmp' | 'exp' | 'userId' | 'traceparent' | 'traceId' | 'spanId';

/** Every string that reaches a template from outside (the environment label is constrained at the edge). */
const FIELDS: {
  field: RequestField | 'buildConfigId' | ContextField;
  property: string;
  where: 'request' | 'context';
}[] = [
  { field: 'imageId', property: 'image', where: 'request' },
  { field: 'repositoryDependencyUrl', property: 'AProxDependencyUrl', where: 'request' },
  { field: 'repositoryDeployUrl', property: 'artifactoryDeployUrl', where: 'request' },
  { field: 'repositoryBuildContentId', property: 'buildContentId', where: 'request' },
  { field: 'buildConfigId', property: 'BUILD_CONFIG_ID', where: 'request' },
  { field: 'processContext', property: 'processContext', where: 'context' },
  { field: 'tmp', property: 'tmp', where: 'context' },
  { field: 'exp', property: 'exp', where: 'context' },
  { field: 'userId', property: 'userId', where: 'context' },
  { field: 'traceparent', property: 'traceparent', where: 'context' },
  { field: 'traceId', property: 'traceId', where: 'context' },
  { field: 'spanId', property: 'spanId', where: 'context' },
];

const PROPERTIES = [
  ...new Set([
    ...FIELDS.map((f) => f.property),
    'AProxDeployUrl',
    'artifactoryDependencyUrl',
    'resourcesMemory',
    'workingDirectory',
  ]),
];

/** Each property in every YAML scalar style and position a template can put it in. */
function allStylesPod(): string {
  const env = PROPERTIES.flatMap((p) => [
    `        - {name: ${p}-flow, value: %{${p}}}`,
    `        - name: ${p}-plain\n          value: %{${p}}`,
    `        - name: ${p}-plain-text\n          value: -D${p}=%{${p}} -x`,
    `        - name: ${p}-plain-lines\n          value: first\n            %{${p}}\n            last`,
    `        - name: ${p}-single\n          value: 'it''s %{${p}}'`,
    `        - name: ${p}-double\n          value: "\\t%{${p}}\\n"`,
    `        - name: ${p}-literal\n          value: |\n            first\n            %{${p}} # not a comment\n            last`,
    `        - name: ${p}-folded\n          value: >-\n            %{${p}}\n            more`,
    `        - name: ${p}-default\n          value: '%{${p}:-fallback} %{unset-${p}:-fallback}'`,
    `        - name: ${p}-escaped\n          value: '$%{${p}} %{${p}}'`,
  ]);
  return [
    'kind: Pod',
    'metadata:',
    "  name: '%{pod-name}'",
    `  annotations: {${PROPERTIES.map((p) => `${p}: %{${p}}`).join(', ')}}`,
    'spec:',
    '  containers:',
    '    - name: agent',
    '      image: %{image}',
    `      args: [${PROPERTIES.map((p) => `%{${p}}, '%{${p}}', "%{${p}}"`).join(', ')}]`,
    '      ports: [{containerPort: %{containerPort}}]',
    '      env:',
    ...env,
    '',
  ].join('\n');
}

const TEMPLATE_SETS: [string, EnvironmentTemplateSources][] = [
  ['default', DEFAULT_TEMPLATES],
  ['Java', JAVA_TEMPLATES],
  ['Java unquoted', JAVA_UNQUOTED_TEMPLATES],
  ['all styles', { ...JAVA_UNQUOTED_TEMPLATES, pod: allStylesPod() }],
];

const MARKER = 'Qx7benignMarker';
const OWNER = { apiVersion: 'v1', kind: 'Pod', name: 'owner', uid: 'u-1', blockOwnerDeletion: false };
const SECRETS = { accessToken: 'token-1', workerUserPassword: 'aB3dE5fG7h' };

function inputWith(field: (typeof FIELDS)[number], value: string): EnvironmentInput {
  const request = { sidecarEnabled: true, sidecarArchiveEnabled: true, allowSshDebug: true };
  return field.where === 'request'
    ? templateInput({ ...request, [field.field]: value })
    : templateInput(request, { [field.field]: value });
}

/** Everything the activities send for an environment: pod, service, Secret, ssh service, Route. */
function objects(deps: TemplateDeps, input: EnvironmentInput) {
  return { ...renderEnvironmentObjects(deps, input, SECRETS), ...renderDebugObjects(deps, input, OWNER, true) };
}

/** The tree with the marker replaced by `value` in every string: where the placeholder put the benign value. */
function substitute(tree: unknown, value: string): unknown {
  if (typeof tree === 'string') return tree.split(MARKER).join(value);
  if (Array.isArray(tree)) return tree.map((item) => substitute(item, value));
  if (tree && typeof tree === 'object') {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, substitute(v, value)]));
  }
  return tree;
}

const countMarkers = (tree: unknown) => JSON.stringify(tree).split(MARKER).length - 1;

// YAML and JSON metacharacters, line breaks YAML knows, document markers, our own placeholder syntax.
const META = [
  ...`'"#:{}[]&*!|>%@\`,?-<=~\\`,
  ...['\n', '\r', '\t', '\r\n', '\u0085', '\u2028', '\u2029', '\ufeff', '\u0000', '\u001b'],
  ...['---', '...', ': ', ' #', '- ', '? ', '<<: ', '&a ', '*a', '!!binary ', '%YAML 1.1', '{}', '[]', 'null', '8080'],
  ...['%{image}', '$%{image}', '%{containerPort}', '%{', '}', 'ünï', '😀', '\u202e'],
  "'\n      securityContext: {privileged: true}\n      x: '",
  '"\n  hostNetwork: true\n  x: "',
];
const BARE = [
  '',
  '8080',
  '0',
  '-1',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '.NaN',
  'true',
  'False',
  'null',
  '~',
  'yes',
  '2026-01-01',
];
const piece = fc.oneof(
  fc.constantFrom(...META),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const hostile = fc
  .oneof(
    { weight: 4, arbitrary: fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')) },
    // Whole values YAML would read as another type in a plain scalar.
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...BARE), fc.integer().map(String), fc.double().map(String)) },
    { weight: 1, arbitrary: fc.string({ unit: piece, minLength: 300, maxLength: 1200 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...META, 'a'), minLength: 4000, maxLength: 4096 }) },
  )
  .filter((value) => !value.includes(MARKER));

describe.each(TEMPLATE_SETS)('%s templates', (_name, sources) => {
  const deps: TemplateDeps = {
    templates: compileEnvironmentTemplates(sources),
    templateDefaults: TEMPLATE_DEFAULTS,
    deployment: 'default',
  };

  it.each(FIELDS)('$field only ever fills the scalars of its placeholders', (field) => {
    const baseline = objects(deps, inputWith(field, MARKER));
    fc.assert(
      fc.property(hostile, (value) => {
        expect(objects(deps, inputWith(field, value))).toEqual(substitute(baseline, value));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the all-styles template', () => {
  it('puts every field in every style (the property above is not vacuous)', () => {
    const deps = { templates: compileEnvironmentTemplates(TEMPLATE_SETS[3][1]), templateDefaults: TEMPLATE_DEFAULTS };
    for (const field of FIELDS) {
      const pod = objects({ ...deps, deployment: 'default' }, inputWith(field, MARKER)).pod;
      expect(countMarkers(pod)).toBeGreaterThanOrEqual(14);
    }
  });
});
