// Template rendering as the Java driver does it (contract §3.2). Pure: no I/O, no Kubernetes client.
import { parseDocument } from 'yaml';
import type { EnvironmentInput } from '../workflows/types';

/** A parsed Kubernetes object; structural on purpose so this file stays free of client-node. */
export type Manifest = Record<string, any> & {
  kind: string;
  metadata?: Record<string, any>;
  spec?: Record<string, any>;
};

export type ManifestKind = 'Pod' | 'Service' | 'Route';

/** Driver-wide values that go into the template properties (config keys of contract §3.4). */
export interface TemplateDefaults {
  firewallAllowedDestinations: string;
  allowedHttpOutgoingDestinations: string | null;
  proxyServer: string | null;
  proxyPort: string | null;
  nonProxyHosts: string;
  containerPort: string;
  builderPodMemoryGiB: number;
}

/** A template that does not render into an object of the expected kind (Java: MismatchedInputException → 400). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

// commons-text StringSubstitutor with prefix `%{`, suffix `}`, escape `$` and default delimiter `:-`.
const PLACEHOLDER = /(\$?)%\{([^}]*)\}/g;

/** Replaces `%{key}`; unknown keys and null values stay literal, as StringSubstitutor leaves them. */
export function renderTemplate(template: string, properties: Record<string, string | null | undefined>): string {
  return template.replace(PLACEHOLDER, (match: string, escape: string, name: string) => {
    if (escape) return match.slice(1); // `$%{x}` is the escaped literal `%{x}`
    const lookup = (key: string): string | null => {
      const value = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
      return value ?? null;
    };
    const value = lookup(name);
    if (value !== null) return value;
    const split = name.indexOf(':-');
    if (split >= 0) return lookup(name.slice(0, split)) ?? name.slice(split + 2);
    return match;
  });
}

const DEFAULT_API_VERSION: Record<ManifestKind, string> = {
  Pod: 'v1',
  Service: 'v1',
  Route: 'route.openshift.io/v1',
};

/** Parses a rendered template into an object of `expectedKind`, or throws TemplateError. */
export function parseManifest(rendered: string, expectedKind: ManifestKind): Manifest {
  // Duplicate keys: last one wins, as Jackson reads them.
  const doc = parseDocument(rendered, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new TemplateError(`The ${expectedKind} template is not valid YAML: ${doc.errors[0].message}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateError(`The ${expectedKind} template does not render to a YAML mapping`);
  }
  const manifest = value as Record<string, any>;
  if (manifest.kind === undefined || manifest.kind === null) manifest.kind = expectedKind;
  if (manifest.kind !== expectedKind) {
    throw new TemplateError(`The ${expectedKind} template renders kind '${String(manifest.kind)}'`);
  }
  // Java templates wrote Routes as `apiVersion: v1` (legacy OpenShift); the API group is what exists today.
  if (!manifest.apiVersion || (expectedKind === 'Route' && manifest.apiVersion === 'v1')) {
    manifest.apiVersion = DEFAULT_API_VERSION[expectedKind];
  }
  if (manifest.metadata !== undefined && (manifest.metadata === null || typeof manifest.metadata !== 'object')) {
    throw new TemplateError(`The ${expectedKind} template has no metadata mapping`);
  }
  return manifest as Manifest;
}

/** Removes the containers the request does not want (contract §3.2). Returns a new object. */
export function pruneSidecars(
  pod: Manifest,
  flags: { sidecarEnabled: boolean; sidecarArchiveEnabled: boolean },
): Manifest {
  const copy = structuredClone(pod);
  const spec = copy.spec;
  if (!spec || typeof spec !== 'object') return copy;
  if (!flags.sidecarEnabled && Array.isArray(spec.containers)) {
    spec.containers = spec.containers.filter((c: any) => c?.name !== 'sidecar');
  }
  if (!flags.sidecarArchiveEnabled && Array.isArray(spec.initContainers)) {
    spec.initContainers = spec.initContainers.filter((c: any) => c?.name !== 'sidecar-init');
  }
  return copy;
}

/** Every template property of contract §3.2 (plus the names our templates use). Null values render literally. */
export function environmentTemplateProperties(
  input: EnvironmentInput,
  defaults: TemplateDefaults,
  secrets: { accessToken: string; workerUserPassword: string | null },
): Record<string, string | null> {
  const { request, context, names, settings } = input;
  const httpActive = Boolean(defaults.proxyServer) && Boolean(defaults.proxyPort);
  const properties: Record<string, string | null> = {
    image: request.imageId,
    firewallAllowedDestinations: defaults.firewallAllowedDestinations,
    allowedHttpOutgoingDestinations: defaults.allowedHttpOutgoingDestinations,
    isHttpActive: String(httpActive),
    proxyServer: defaults.proxyServer,
    proxyPort: defaults.proxyPort,
    nonProxyHosts: defaults.nonProxyHosts,
    AProxDependencyUrl: request.repositoryDependencyUrl,
    AProxDeployUrl: request.repositoryDeployUrl,
    artifactoryDependencyUrl: request.repositoryDependencyUrl,
    artifactoryDeployUrl: request.repositoryDeployUrl,
    containerPort: defaults.containerPort,
    buildContentId: request.repositoryBuildContentId,
    accessToken: secrets.accessToken,
    workingDirectory: settings.workingDirectory,
    BUILD_CONFIG_ID: request.sidecarArchiveEnabled ? request.buildConfigId : '',
    processContext: context.processContext,
    tmp: context.tmp,
    exp: context.exp,
    userId: context.userId,
    resourcesMemory: input.resourcesMemory,
    'environment-label': names.environmentLabel,
    'environment-id': names.environmentId,
    'pod-name': names.podName,
    'service-name': names.serviceName,
    'ssh-service-name': names.sshServiceName,
    'route-name': names.routeName,
    'route-path': names.contextPath,
    'secret-name': names.secretName,
    buildAgentContextPath: names.contextPath,
    'build-agent-host': settings.agentHost,
  };
  if (context.traceId !== undefined) properties.traceId = context.traceId;
  if (context.spanId !== undefined) properties.spanId = context.spanId;
  if (context.traceparent !== undefined) properties.traceparent = context.traceparent;
  if (secrets.workerUserPassword !== null) properties.workerUserPassword = secrets.workerUserPassword;
  return properties;
}
