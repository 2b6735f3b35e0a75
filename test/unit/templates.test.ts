// Template rendering as the Java driver does it (contract §3.2, §7), now structural: same output for ordinary values.
import {
  checkManifest,
  compileEnvironmentTemplates,
  compileTemplate,
  environmentTemplateProperties,
  pruneSidecars,
  renderManifest,
  TemplateCompileError,
  type EnvironmentTemplateSources,
  type Manifest,
  type ManifestKind,
} from '../../activities/templates';
import { InvalidMemoryError, resourcesMemory } from '../../src/api/pod-memory';
import {
  DEFAULT_TEMPLATES,
  ENV_ID,
  JAVA_TEMPLATES,
  JAVA_UNQUOTED_TEMPLATES,
  TEMPLATE_DEFAULTS as defaults,
  templateInput as input,
  textSubstitution,
} from '../support/template-fixtures';

const {
  pod: DEFAULT_POD_TEMPLATE,
  service: DEFAULT_SERVICE_TEMPLATE,
  sshService: DEFAULT_SSH_SERVICE_TEMPLATE,
  route: DEFAULT_ROUTE_TEMPLATE,
} = DEFAULT_TEMPLATES;

const secrets = { accessToken: 'token-for-builder-pod', workerUserPassword: null };
const properties = environmentTemplateProperties(
  input({}, { traceId: undefined, spanId: undefined }),
  defaults,
  secrets,
);

/** Renders one string scalar of a template, the way a pod env value is rendered. */
const renderValue = (scalar: string, props: Record<string, string | null | undefined>) =>
  renderManifest(compileTemplate(`kind: Pod\nvalue: ${scalar}\n`, 'Pod'), props).value;

describe('placeholders (commons-text StringSubstitutor semantics)', () => {
  it('replaces known keys and leaves unknown and null keys literal', () => {
    const out = renderValue(`'a=%{a} b=%{b} c=%{c} d=%{d}'`, { a: 'x', b: null, c: undefined });
    expect(out).toBe('a=x b=%{b} c=%{c} d=%{d}');
  });

  it('inserts values as they are, without substituting inside them', () => {
    expect(renderValue(`'%{a}'`, { a: '%{b}', b: 'no' })).toBe('%{b}');
  });

  it('honours the StringSubstitutor escape and default syntax', () => {
    expect(renderValue(`'$%{a} %{b:-fallback} %{a:-unused}'`, { a: 'x' })).toBe('%{a} fallback x');
    expect(renderValue(`$%{a}`, { a: 'x' })).toBe('%{a}');
    expect(renderValue(`"%{b:-}"`, {})).toBe('');
  });
});

describe('environmentTemplateProperties', () => {
  it('fills the keys of contract §3.2', () => {
    expect(properties).toMatchObject({
      image: 'quay.io/org/builder-rhel-8-j17-mvn3.9:1.0.0',
      isHttpActive: 'false',
      AProxDependencyUrl: 'http://indy/api/content/maven/group/build-AZQ3L5F6DBAAA',
      artifactoryDeployUrl: 'http://indy/api/content/maven/hosted/build-AZQ3L5F6DBAAA',
      containerPort: '8080',
      accessToken: 'token-for-builder-pod',
      BUILD_CONFIG_ID: '',
      userId: '42',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'route-path': `/pnc-ba-${ENV_ID}`,
      buildAgentContextPath: `/pnc-ba-${ENV_ID}`,
      'build-agent-host': 'builds.example.com',
    });
    expect(properties.allowedHttpOutgoingDestinations).toBeNull();
    expect(properties).not.toHaveProperty('workerUserPassword');
    expect(properties).not.toHaveProperty('traceId');
  });

  it('sets BUILD_CONFIG_ID only for the sidecar archive, isHttpActive only with a full proxy', () => {
    const withProxy = { ...defaults, proxyServer: 'proxy', proxyPort: '3128' };
    const props = environmentTemplateProperties(input({ sidecarArchiveEnabled: true }), withProxy, {
      accessToken: 't',
      workerUserPassword: 'aB3dE5fG7h',
    });
    expect(props).toMatchObject({ BUILD_CONFIG_ID: '1234', isHttpActive: 'true', workerUserPassword: 'aB3dE5fG7h' });
    const halfProxy = environmentTemplateProperties(input(), { ...defaults, proxyServer: 'proxy' }, secrets);
    expect(halfProxy.isHttpActive).toBe('false');
  });
});

describe('default templates', () => {
  const labels = {
    environment: 'azq3l5f6dbaaa',
    'app.kubernetes.io/managed-by': 'pnc-environment-driver',
    'pnc-environment-id': ENV_ID,
  };
  const render = (template: string, kind: ManifestKind) => renderManifest(compileTemplate(template, kind), properties);

  it.each([
    ['pod', DEFAULT_POD_TEMPLATE],
    ['service', DEFAULT_SERVICE_TEMPLATE],
    ['ssh service', DEFAULT_SSH_SERVICE_TEMPLATE],
    ['route', DEFAULT_ROUTE_TEMPLATE],
  ])('the %s template uses only keys the driver provides', (_name, template) => {
    const keys = [...template.matchAll(/%\{([^}]*)\}/g)].map((m) => m[1]);
    expect(keys.filter((key) => !(key in properties))).toEqual([]);
  });

  it('renders the pod with its labels, port, memory and secrets by reference', () => {
    const pod = render(DEFAULT_POD_TEMPLATE, 'Pod');
    expect(pod).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pnc-ba-pod-${ENV_ID}` } });
    expect(pod.metadata?.labels).toEqual({ ...labels, 'pnc-build-agent-pod': `pnc-ba-pod-${ENV_ID}` });
    const [container] = pod.spec!.containers;
    expect(container.image).toBe('quay.io/org/builder-rhel-8-j17-mvn3.9:1.0.0');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.resources.limits).toEqual({ cpu: '2000m', memory: '4096Mi' });
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    expect(env.accessToken).toEqual({
      name: 'accessToken',
      valueFrom: { secretKeyRef: { name: `pnc-ba-secret-${ENV_ID}`, key: 'accessToken', optional: true } }, // no token, no Secret: the pod still starts
    });
    expect(env.workerUserPassword.valueFrom.secretKeyRef).toEqual({
      name: `pnc-ba-secret-${ENV_ID}`,
      key: 'workerUserPassword',
      optional: true,
    });
    expect(JSON.stringify(pod)).not.toContain('token-for-builder-pod');
    expect(env.buildAgentBindPort.value).toBe('8080');
    expect(env.logUserId.value).toBe('42');
    expect(env.buildAgentJvmProperties.value).toBe(
      '-DlogMDC=processContext:build-AZQ3L5F6DBAAA;tmp:false;exp:2026-09-01T00:00:00Z',
    );
    // A null value stays literal, still a valid YAML string.
    expect(env.allowedHttpOutgoingDestinations.value).toBe('%{allowedHttpOutgoingDestinations}');
  });

  it('renders the service and the ssh service with labels and the pod selector', () => {
    const service = render(DEFAULT_SERVICE_TEMPLATE, 'Service');
    expect(service.metadata?.labels).toEqual(labels);
    expect(service.spec).toEqual({
      ports: [{ name: '8080-tcp', protocol: 'TCP', port: 80, targetPort: 8080 }],
      selector: { 'pnc-build-agent-pod': `pnc-ba-pod-${ENV_ID}` },
    });
    const ssh = render(DEFAULT_SSH_SERVICE_TEMPLATE, 'Service');
    expect(ssh.metadata).toEqual({ name: `pnc-ba-ssh-${ENV_ID}`, labels });
    expect(ssh.spec).toMatchObject({ type: 'NodePort', ports: [{ name: '2222-ssh', port: 2222, targetPort: 2222 }] });
  });

  it('renders the route on the HTTP service', () => {
    const route = render(DEFAULT_ROUTE_TEMPLATE, 'Route');
    expect(route).toMatchObject({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { labels } });
    expect(route.spec).toEqual({
      host: 'builds.example.com',
      path: `/pnc-ba-${ENV_ID}`,
      to: { kind: 'Service', name: `pnc-ba-service-${ENV_ID}` },
    });
  });
});

describe('checking the rendered kind', () => {
  it.each([
    ['a scalar', 'unparsable'],
    ['broken YAML', 'kind: Pod\nmetadata: [unclosed'],
    ['a list', '- kind: Pod'],
    ['another kind', 'kind: Service\nmetadata: {name: x}'],
    ['a metadata string', 'kind: Pod\nmetadata: x'],
  ])('refuses %s when the template is compiled', (_name, text) => {
    expect(() => compileTemplate(text, 'Pod')).toThrow(TemplateCompileError);
  });

  it('fills a missing kind and apiVersion, and moves legacy v1 Routes to their API group', () => {
    const render = (text: string, kind: ManifestKind) => renderManifest(compileTemplate(text, kind), {});
    expect(render('metadata: {name: x}', 'Service')).toMatchObject({ kind: 'Service', apiVersion: 'v1' });
    expect(render('apiVersion: v1\nkind: Route', 'Route').apiVersion).toBe('route.openshift.io/v1');
    expect(() => checkManifest({ kind: 'Pod' }, 'Route')).toThrow("renders kind 'Pod'");
  });
});

describe('ordinary values render as the text substitution did', () => {
  const kinds: Record<keyof EnvironmentTemplateSources, ManifestKind> = {
    pod: 'Pod',
    service: 'Service',
    sshService: 'Service',
    route: 'Route',
  };
  const full = environmentTemplateProperties(
    input({ sidecarArchiveEnabled: true, allowSshDebug: true }),
    { ...defaults, proxyServer: 'proxy', proxyPort: '3128', allowedHttpOutgoingDestinations: 'a.example.com' },
    { accessToken: 'token', workerUserPassword: 'aB3dE5fG7h' },
  );

  it.each([
    ['default', DEFAULT_TEMPLATES],
    ['Java', JAVA_TEMPLATES],
    ['Java, unquoted placeholders', JAVA_UNQUOTED_TEMPLATES],
  ])('the %s templates', (_name, sources) => {
    const compiled = compileEnvironmentTemplates(sources);
    for (const name of Object.keys(kinds) as (keyof EnvironmentTemplateSources)[]) {
      for (const props of [properties, full]) {
        const before = checkManifest(textSubstitution(sources[name], props), kinds[name]);
        expect(renderManifest(compiled[name], props)).toEqual(before);
      }
    }
  });

  it('renders the Java pod: ports as integers, every env value a string, unknown keys literal', () => {
    const pod = renderManifest(compileTemplate(JAVA_UNQUOTED_TEMPLATES.pod, 'Pod'), full);
    const [agent, sidecar] = pod.spec!.containers;
    expect(agent.ports[0].containerPort).toBe(8080);
    expect(agent.env.every((e: { value: unknown }) => typeof e.value === 'string')).toBe(true);
    const env = Object.fromEntries(agent.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ proxyUsername: '%{proxyUsername}', isHttpActive: 'true', buildAgentBindPort: '8080' });
    expect(sidecar.env).toEqual([{ name: 'BUILD_CONFIG_ID', value: '1234' }]);
    expect(pod.spec!.initContainers[0].args).toEqual(['--build-config', '1234']);
  });

  it('keeps a whole plain placeholder of a text property a string, where text substitution made a boolean', () => {
    const template = 'kind: Pod\nenv:\n  - name: isHttpActive\n    value: %{isHttpActive}\n';
    expect(renderManifest(compileTemplate(template, 'Pod'), full).env[0].value).toBe('true');
    expect(textSubstitution(template, full).env[0].value).toBe(true);
  });
});

describe('pruneSidecars', () => {
  const pod: Manifest = {
    kind: 'Pod',
    spec: {
      initContainers: [{ name: 'sidecar-init' }, { name: 'other-init' }],
      containers: [{ name: 'pnc-build-agent-container' }, { name: 'sidecar' }],
    },
  };
  const names = (list: { name: string }[]) => list.map((c) => c.name);

  it.each([
    [false, false, ['pnc-build-agent-container'], ['other-init']],
    [true, false, ['pnc-build-agent-container', 'sidecar'], ['other-init']],
    [false, true, ['pnc-build-agent-container'], ['sidecar-init', 'other-init']],
    [true, true, ['pnc-build-agent-container', 'sidecar'], ['sidecar-init', 'other-init']],
  ])('sidecar %s, archive %s', (sidecarEnabled, sidecarArchiveEnabled, containers, initContainers) => {
    const pruned = pruneSidecars(pod, { sidecarEnabled, sidecarArchiveEnabled });
    expect(names(pruned.spec?.containers)).toEqual(containers);
    expect(names(pruned.spec?.initContainers)).toEqual(initContainers);
    expect(pod.spec?.containers).toHaveLength(2); // the input is not changed
  });
});

describe('resourcesMemory', () => {
  it.each([
    ['8', '8192Mi'],
    ['2.5', '2560Mi'],
    [' 3 ', '3072Mi'],
    ['0.1', '103Mi'],
    ['0', '4096Mi'],
    ['-1', '4096Mi'],
    ['', '4096Mi'],
    ['   ', '4096Mi'],
    [null, '4096Mi'],
  ])('%j → %s', (override, expected) => {
    expect(resourcesMemory(override, 4)).toBe(expected);
  });

  it.each(['abc', '8Gi', '1,5', '0x10'])('rejects %j with the Java message', (value) => {
    expect(() => resourcesMemory(value, 4)).toThrow(new InvalidMemoryError(value));
    expect(() => resourcesMemory(value, 4)).toThrow(`Failed to parse memory size '${value}`);
  });

  it('keeps the Java message exactly, missing quote included', () => {
    expect(new InvalidMemoryError('abc').message).toBe("Failed to parse memory size 'abc");
  });
});
