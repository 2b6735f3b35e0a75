// Compiling templates once: what is refused (with the line), how placeholders are typed, and that a value is
// only ever the content of its scalar.
import {
  compileEnvironmentTemplates,
  compileTemplate,
  renderManifest,
  TemplateCompileError,
  TemplateError,
} from '../../activities/templates';
import { DEFAULT_TEMPLATES, textSubstitution } from '../support/template-fixtures';

function compileError(text: string): TemplateCompileError {
  try {
    compileTemplate(text, 'Pod');
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateCompileError);
    return error as TemplateCompileError;
  }
  throw new Error(`compiled: ${text}`);
}

describe('a template is refused when compiled', () => {
  it.each([
    ['an anchor', 'kind: Pod\nspec:\n  a: &shared {x: 1}\n', 3, 'anchors'],
    ['an alias', 'kind: Pod\nspec:\n  a: [1]\n  b: *shared\n', 4, 'aliases'],
    ['a merge key', 'kind: Pod\nspec:\n  <<: {hostNetwork: true}\n', 3, 'merge keys'],
    ['a merge key in YAML 1.1', '%YAML 1.1\n---\nkind: Pod\nspec:\n  <<: {a: 1}\n', 5, 'merge keys'],
    ['a placeholder key', 'kind: Pod\nmetadata:\n  labels:\n    "%{image}": x\n', 4, 'mapping key (%{image})'],
    ['a plain placeholder key', 'kind: Pod\nspec:\n  %{image}: x\n', 3, 'mapping key'],
    ['an unclosed %{', 'kind: Pod\nspec:\n  image: "%{image"\n', 3, 'unclosed placeholder'],
    ['a %{ closed on another line', 'kind: Pod\nx: "%{image\n  }"\n', 2, 'unclosed placeholder'],
    ['a nested %{', "kind: Pod\n\nx: '%{a%{b}}'\n", 3, 'nested placeholder %{a%{b}'],
    ['a key that is no property name', "kind: Pod\nx: '%{ima ge}'\n", 2, 'malformed placeholder %{ima ge}'],
    ['an empty placeholder', "kind: Pod\nx: '%{}'\n", 2, 'malformed placeholder %{}'],
    ['a placeholder tag', 'kind: Pod\nx: !%{image} y\n', 2, 'YAML tag'],
    ['an integer tag on a placeholder', 'kind: Pod\nx: !!int %{containerPort}\n', 2, 'tagged !!str'],
    ['a default that splits its scalar', 'kind: Pod\nx: [%{image:-a, b}]\n', 2, 'spans more than its YAML scalar'],
    ['a default that breaks the YAML', 'kind: Pod\n\nx: %{image:-a: b}\n', 3, 'not valid YAML'],
    ['a non-integer default of an integer', 'kind: Pod\nx: %{containerPort:-http}\n', 2, 'not an integer'],
    ['invalid YAML', 'kind: Pod\nspec:\n  x: [a, b\n', 4, 'not valid YAML'],
    ['two documents', 'kind: Pod\n---\nkind: Pod\n', 2, 'not valid YAML'],
    ['a scalar', 'just text', 1, 'not a YAML mapping'],
    ['an empty document', '# nothing\n', 1, 'not a YAML mapping'],
    ['another kind', 'apiVersion: v1\nkind: Service\n', 2, "renders kind 'Service'"],
    ['a kind no value can fix', "metadata: {}\nkind: '%{image}'\n", 2, "renders kind '%{image}'"],
    ['metadata that is not a mapping', 'kind: Pod\nmetadata: pod\n', 2, 'no metadata mapping'],
  ])('%s', (_what, text, line, reason) => {
    const error = compileError(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`line ${line}: `);
    expect(error.message).toContain(reason);
  });

  it('names where the template came from and the line when the templates are compiled together', () => {
    const pod = `${DEFAULT_TEMPLATES.pod}  extra: &a 1\n`;
    const lines = pod.split('\n').length - 1;
    const origins = { pod: 'environment-driver.openshift.pod (from ENVIRONMENT_DRIVER_OPENSHIFT_POD)' };
    expect(() => compileEnvironmentTemplates({ ...DEFAULT_TEMPLATES, pod }, origins)).toThrow(
      `Invalid configuration ${origins.pod}: line ${lines}: YAML anchors (&a) are not allowed`,
    );
    const route = 'kind: Route\nspec:\n  host: "%{build-agent-host"\n';
    expect(() => compileEnvironmentTemplates({ ...DEFAULT_TEMPLATES, route })).toThrow(
      'Invalid configuration the route template: line 3: unclosed placeholder',
    );
  });

  it('accepts what StringSubstitutor would not touch: comments, escapes, unknown keys, `$%{` anywhere', () => {
    const text = "kind: Pod\n# %{image} in a comment\nx: '$%{unclosed'\n'$%{key}': '%{unknown}'\n";
    expect(renderManifest(compileTemplate(text, 'Pod'), { image: 'i' })).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      x: '%{unclosed',
      '%{key}': '%{unknown}',
    });
  });
});

describe('defaults', () => {
  it('are template text: YAML reads their escapes as the text substitution did', () => {
    const text = `kind: Pod\nsingle: '%{a:-it''s}'\ndouble: "%{a:-tab\\there \\u00e9}"\nplain: %{a:-x y}\n`;
    const rendered = renderManifest(compileTemplate(text, 'Pod'), {});
    expect(rendered).toMatchObject({ single: "it's", double: 'tab\there é', plain: 'x y' });
    expect(rendered).toEqual({ ...textSubstitution(text, {}), apiVersion: 'v1' });
    expect(renderManifest(compileTemplate(text, 'Pod'), { a: "it''s" }).single).toBe("it''s");
  });
});

describe('typed placeholders', () => {
  const template = compileTemplate(
    [
      'kind: Pod',
      'port: %{containerPort}',
      'quoted: "%{containerPort}"',
      'tagged: !!str %{containerPort}',
      'inText: -p %{containerPort}',
      'fallback: %{missingPort:-8080}',
      'portFallback: %{containerPort:-9090}',
      'flow: [%{containerPort}]',
      'text: %{isHttpActive}',
      'number: %{proxyPort}',
      'nothing: %{unknown}',
    ].join('\n'),
    'Pod',
  );

  it('makes a whole plain placeholder of an integer property an integer, everything else a string', () => {
    const rendered = renderManifest(template, { containerPort: '8080', isHttpActive: 'true', proxyPort: '3128' });
    expect(rendered).toMatchObject({
      port: 8080,
      quoted: '8080',
      tagged: '8080',
      inText: '-p 8080',
      fallback: '8080',
      portFallback: 8080,
      flow: [8080],
      text: 'true',
      number: '3128',
      nothing: '%{unknown}',
    });
  });

  it('refuses an integer property that is not an integer before anything is rendered', () => {
    for (const containerPort of ['80a', '8080\nhostNetwork: true', '', ' 8080', '-1', '1e3']) {
      expect(() => renderManifest(template, { containerPort })).toThrow(TemplateError);
      expect(() => renderManifest(template, { containerPort })).toThrow('containerPort must be an integer');
    }
  });

  it('leaves an unset integer placeholder literal, as every unknown key, or takes its default', () => {
    expect(renderManifest(template, {})).toMatchObject({ port: '%{containerPort}', portFallback: 9090 });
  });
});

describe('values are only ever the content of their scalar', () => {
  const template = compileTemplate(
    "kind: Pod\nmetadata:\n  name: '%{pod-name}'\nspec:\n  containers:\n    - image: %{image}\n      args: ['%{image}', \"x %{image}\"]\n",
    'Pod',
  );
  const render = (image: string) => renderManifest(template, { image, 'pod-name': 'p' });

  it.each([
    ['quotes and a new key', "x'\n      securityContext: {privileged: true}\n      y: '"],
    ['a comment', "quay.io/x:1' # rest"],
    ['a new document', 'x\n---\nkind: Pod\nmetadata: {name: other}'],
    ['a flow mapping', '{hostNetwork: true}'],
    ['an anchor and an alias', '&a [*a, *a]'],
    ['a tag', '!!binary aGk='],
    ['a block scalar', '|\n  swallowed'],
    ['a placeholder', '%{pod-name} $%{pod-name}'],
    ['unicode and control characters', 'ünï\u2028cødé\u0000\u202e\t\r\n'],
    ['10 KB', 'x'.repeat(10_240)],
  ])('%s', (_what, image) => {
    expect(render(image)).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p' },
      spec: { containers: [{ image, args: [image, `x ${image}`] }] },
    });
  });

  it('renders a YAML alias bomb literally and at once', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const [prev, next] = [String.fromCharCode(97 + i), String.fromCharCode(98 + i)];
        return `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
      }),
    ].join('\n');
    expect(render(bomb).spec!.containers[0].image).toBe(bomb);
  });

  it('builds fresh objects: a render cannot change the next one', () => {
    const first = render('a');
    first.spec!.containers[0].args.push('mutated');
    first.metadata!.name = 'changed';
    expect(render('a')).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p' },
      spec: { containers: [{ image: 'a', args: ['a', 'x a'] }] },
    });
  });

  it('keeps a `__proto__` key as data', () => {
    const rendered = renderManifest(compileTemplate("kind: Pod\n__proto__: {polluted: '%{image}'}\n", 'Pod'), {
      image: 'yes',
    });
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
