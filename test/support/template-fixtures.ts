// Template test material: an environment input, templates shaped like the Java driver's (contract §7), and the
// text substitution the driver used before structural rendering, kept as an oracle of the old output.
import { parse } from 'yaml';
import {
  DEFAULT_POD_TEMPLATE,
  DEFAULT_ROUTE_TEMPLATE,
  DEFAULT_SERVICE_TEMPLATE,
  DEFAULT_SSH_SERVICE_TEMPLATE,
} from '../../src/config/default-templates';
import type { EnvironmentTemplateSources, TemplateDefaults } from '../../activities/templates';
import { environmentNames } from '../../workflows/names';
import type { EnvironmentInput } from '../../workflows/types';

export const ENV_LABEL = 'azq3l5f6dbaaa';
export const ENV_ID = `${ENV_LABEL}-3f9c1e`;

export const TEMPLATE_DEFAULTS: TemplateDefaults = {
  firewallAllowedDestinations: '127.0.0.1',
  allowedHttpOutgoingDestinations: null,
  proxyServer: null,
  proxyPort: null,
  nonProxyHosts: 'localhost',
  containerPort: '8080',
  builderPodMemoryGiB: 4,
};

export function templateInput(
  request: Partial<EnvironmentInput['request']> = {},
  context: Partial<EnvironmentInput['context']> = {},
): EnvironmentInput {
  return {
    names: environmentNames(ENV_LABEL, ENV_ID),
    request: {
      environmentLabel: ENV_LABEL,
      completionCallback: null,
      imageId: 'quay.io/org/builder-rhel-8-j17-mvn3.9:1.0.0',
      repositoryDependencyUrl: 'http://indy/api/content/maven/group/build-AZQ3L5F6DBAAA',
      repositoryDeployUrl: 'http://indy/api/content/maven/hosted/build-AZQ3L5F6DBAAA',
      repositoryBuildContentId: 'build-AZQ3L5F6DBAAA',
      podMemoryOverride: null,
      allowSshDebug: false,
      buildConfigId: '1234',
      sidecarEnabled: false,
      sidecarArchiveEnabled: false,
      ...request,
    },
    context: {
      processContext: 'build-AZQ3L5F6DBAAA',
      tmp: 'false',
      exp: '2026-09-01T00:00:00Z',
      userId: '42',
      headers: [],
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      ...context,
    },
    resourcesMemory: '4096Mi',
    settings: { workingDirectory: '/tmp', agentHost: 'builds.example.com' } as EnvironmentInput['settings'],
  };
}

export const DEFAULT_TEMPLATES: EnvironmentTemplateSources = {
  pod: DEFAULT_POD_TEMPLATE,
  service: DEFAULT_SERVICE_TEMPLATE,
  sshService: DEFAULT_SSH_SERVICE_TEMPLATE,
  route: DEFAULT_ROUTE_TEMPLATE,
};

/** One env var per property, `"%{key}"` double-quoted as the Java templates write them. */
const javaEnv = (keys: string[], indent: string) =>
  keys.map((key) => `${indent}- name: ${key}\n${indent}  value: "%{${key}}"`).join('\n');

// The Java driver's shape: double-quoted placeholders, unquoted ports, empty (null) values, a status section,
// a `v1` Route, a sidecar and a sidecar-init container some deployments add, keys nobody provides.
export const JAVA_TEMPLATES: EnvironmentTemplateSources = {
  pod: `kind: Pod
apiVersion: v1
metadata:
  name: "%{pod-name}"
  labels:
    pnc-build-agent-pod: "%{pod-name}"
    environment: "%{environment-label}"
spec:
  nodeSelector:
    acceptpncbuildagent: 'true'
  initContainers:
    - name: sidecar-init
      image: "%{image}"
      args: ["--build-config", "%{BUILD_CONFIG_ID}"]
  containers:
    - name: pnc-build-agent-container
      image: "%{image}"
      ports:
        - name: http
          containerPort: %{containerPort}
          protocol: TCP
      env:
${javaEnv(
  [
    'firewallAllowedDestinations',
    'isHttpActive',
    'proxyServer',
    'proxyUsername',
    'AProxDependencyUrl',
    'AProxDeployUrl',
    'artifactoryDependencyUrl',
    'artifactoryDeployUrl',
    'buildAgentContextPath',
    'workerUserPassword',
    'accessToken',
    'buildContentId',
    'traceparent',
    'traceId',
    'spanId',
    'workingDirectory',
  ],
  '        ',
)}
        - name: buildAgentBindPort
          value: "%{containerPort}"
        - name: logUserId
          value: "%{userId}"
        - name: logProcessContext
          value: "%{processContext}"
        - name: buildAgentArguments
          value: "-b 0.0.0.0 -p %{containerPort} -pl FILE -l /tmp -c %{buildAgentContextPath}"
        - name: buildAgentJvmProperties
          value: "-DlogMDC=processContext:%{processContext};tmp:%{tmp};exp:%{exp}"
      resources:
      terminationMessagePath: "/dev/termination-log"
      imagePullPolicy: Always
      securityContext:
        capabilities:
          add:
            - NET_ADMIN
    - name: sidecar
      image: "%{image}"
      env:
        - name: BUILD_CONFIG_ID
          value: "%{BUILD_CONFIG_ID}"
  restartPolicy: Never
  activeDeadlineSeconds: 28800
  dnsPolicy: ClusterFirst
`,
  service: `kind: Service
apiVersion: v1
metadata:
  name: "%{service-name}"
  labels:
    environment: "%{environment-label}"
spec:
  ports:
    - name: 8080-tcp
      protocol: TCP
      port: 80
      targetPort: %{containerPort}
      nodePort: 0
  selector:
    pnc-build-agent-pod: "%{pod-name}"
status:
  loadBalancer:
`,
  sshService: `kind: Service
apiVersion: v1
metadata:
  name: "%{ssh-service-name}"
spec:
  ports:
    - name: 2222-ssh
      protocol: TCP
      port: 2222
      targetPort: 2222
      nodePort: 0
  selector:
    pnc-build-agent-pod: "%{pod-name}"
  type: NodePort
`,
  route: `kind: Route
apiVersion: v1
metadata:
  name: "%{route-name}"
spec:
  host: "%{build-agent-host}"
  path: "%{route-path}"
  to:
    kind: Service
    name: "%{service-name}"
`,
};

/** The Java templates with unquoted placeholders where a plain scalar is valid YAML once substituted. */
export const JAVA_UNQUOTED_TEMPLATES: EnvironmentTemplateSources = {
  ...JAVA_TEMPLATES,
  pod: JAVA_TEMPLATES.pod
    .replaceAll('image: "%{image}"', 'image: %{image}')
    .replace('name: "%{pod-name}"', 'name: %{pod-name}')
    .replace('value: "%{buildContentId}"', 'value: %{buildContentId}'),
  route: JAVA_TEMPLATES.route.replace('host: "%{build-agent-host}"', 'host: %{build-agent-host}'),
};

// The renderer before structural rendering: StringSubstitutor on the YAML text, then a YAML parse.
// Only an oracle for "ordinary values render as before" and for "this payload did inject" — never used by code.
const PLACEHOLDER = /(\$?)%\{([^}]*)\}/g;
export function textSubstitution(template: string, properties: Record<string, string | null | undefined>): any {
  const text = template.replace(PLACEHOLDER, (match: string, escape: string, name: string) => {
    if (escape) return match.slice(1);
    const lookup = (key: string) => (Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : null);
    const split = name.indexOf(':-');
    const value = lookup(name) ?? (split >= 0 ? (lookup(name.slice(0, split)) ?? name.slice(split + 2)) : null);
    return value ?? match;
  });
  return parse(text, { uniqueKeys: false, maxAliasCount: 100 });
}
