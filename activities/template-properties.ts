// The values templates can refer to (contract §3.2), and their types.
import type { TemplateProperty } from '../workflows/definitions';
import type { EnvironmentInput, TemplateDefaults } from '../workflows/types';

export type { TemplateDefaults };
import type { TemplateProperties } from './template-syntax';

/**
 * Properties that are integers. A placeholder of one of these that is a whole plain scalar (`containerPort:
 * %{containerPort}`) renders as a YAML integer, as Kubernetes wants there; every other value is a string.
 */
export const INTEGER_PROPERTIES: ReadonlySet<string> = new Set(['containerPort']);

const INTEGER = /^\d{1,15}$/;

export function isIntegerText(value: string): boolean {
  return INTEGER.test(value);
}

/** The first integer property whose value is not an integer, or null when all are fine. */
export function invalidIntegerProperty(properties: TemplateProperties): { key: string; value: string } | null {
  for (const key of INTEGER_PROPERTIES) {
    const value = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : null;
    if (value !== null && value !== undefined && !isIntegerText(value)) return { key, value };
  }
  return null;
}

/** Every template property of contract §3.2 (plus the names our templates use). Null values render literally. */
export function environmentTemplateProperties(
  input: EnvironmentInput,
  defaults: TemplateDefaults,
  secrets: { accessToken: string; workerUserPassword: string | null },
): Partial<Record<TemplateProperty, string | null>> {
  const { request, context, names, settings } = input;
  const httpActive = Boolean(defaults.proxyServer) && Boolean(defaults.proxyPort);
  // Java: the Artifactory default repositories stand in for both the AProx* and artifactory* values.
  const dependencyUrl = request.repositoryDependencyUrl ?? defaults.defaultDependencyUrl ?? null;
  const deployUrl = request.repositoryDeployUrl ?? defaults.defaultDeployUrl ?? null;
  const properties: Partial<Record<TemplateProperty, string | null>> = {
    image: request.imageId,
    firewallAllowedDestinations: defaults.firewallAllowedDestinations,
    allowedHttpOutgoingDestinations: defaults.allowedHttpOutgoingDestinations,
    isHttpActive: String(httpActive),
    proxyServer: defaults.proxyServer,
    proxyPort: defaults.proxyPort,
    nonProxyHosts: defaults.nonProxyHosts,
    AProxDependencyUrl: dependencyUrl,
    AProxDeployUrl: deployUrl,
    artifactoryDependencyUrl: dependencyUrl,
    artifactoryDeployUrl: deployUrl,
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
