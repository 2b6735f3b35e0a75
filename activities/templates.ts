// Templates (contract §3.2, DESIGN §5): compiled once when the worker starts, rendered structurally per
// environment. Pure: no I/O, no Kubernetes client.
import type { EnvironmentTemplateSources } from '../workflows/types';
import { compileYaml, renderNode, type CompiledMapping } from './template-compile';
import { invalidIntegerProperty } from './template-properties';
import { TemplateCompileError, type TemplateProperties } from './template-syntax';

export { environmentTemplateProperties, type TemplateDefaults } from './template-properties';
export { TemplateCompileError, type TemplateProperties } from './template-syntax';

/** A Kubernetes object built from a template; structural on purpose so this file stays free of client-node. */
export type Manifest = Record<string, any> & {
  kind: string;
  metadata?: Record<string, any>;
  spec?: Record<string, any>;
};

export type ManifestKind = 'Pod' | 'Service' | 'Route';

/** A template that does not render into an object of the expected kind (Java: MismatchedInputException → 400). */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** The top-level key at fault, when there is one. */
    readonly key?: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export type { EnvironmentTemplateSources };

export interface CompiledTemplate {
  kind: ManifestKind;
  root: CompiledMapping;
}

export type TemplateName = keyof EnvironmentTemplateSources;

export type CompiledEnvironmentTemplates = Record<TemplateName, CompiledTemplate>;

const TEMPLATE_KINDS: Record<TemplateName, ManifestKind> = {
  pod: 'Pod',
  service: 'Service',
  sshService: 'Service',
  route: 'Route',
};

const DEFAULT_API_VERSION: Record<ManifestKind, string> = {
  Pod: 'v1',
  Service: 'v1',
  Route: 'route.openshift.io/v1',
};

/** Checks a rendered object is of `expectedKind`, filling a missing kind and apiVersion; throws TemplateError. */
export function checkManifest(value: unknown, expectedKind: ManifestKind): Manifest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateError(`The ${expectedKind} template does not render to a YAML mapping`);
  }
  const manifest = value as Record<string, any>;
  if (manifest.kind === undefined || manifest.kind === null) manifest.kind = expectedKind;
  if (manifest.kind !== expectedKind) {
    throw new TemplateError(`The ${expectedKind} template renders kind '${String(manifest.kind)}'`, 'kind');
  }
  // Java templates wrote Routes as `apiVersion: v1` (legacy OpenShift); the API group is what exists today.
  if (!manifest.apiVersion || (expectedKind === 'Route' && manifest.apiVersion === 'v1')) {
    manifest.apiVersion = DEFAULT_API_VERSION[expectedKind];
  }
  if (manifest.metadata !== undefined && (manifest.metadata === null || typeof manifest.metadata !== 'object')) {
    throw new TemplateError(`The ${expectedKind} template has no metadata mapping`, 'metadata');
  }
  return manifest as Manifest;
}

/**
 * Compiles one template; throws TemplateCompileError naming the line. A kind or metadata that is wrong whatever
 * the values (checked with no property set) is refused here too, so such a template never reaches a /create.
 */
export function compileTemplate(source: string, kind: ManifestKind): CompiledTemplate {
  const { root, lines } = compileYaml(source);
  try {
    checkManifest(renderNode(root, {}), kind);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new TemplateCompileError(error.message, (error.key && lines.get(error.key)) || 1);
  }
  return { kind, root };
}

/**
 * Compiles the four templates once, at start. The error names where the bad one came from (`origins`, from the
 * configuration: key and environment variable or file) and its line.
 */
export function compileEnvironmentTemplates(
  sources: EnvironmentTemplateSources,
  origins: Partial<Record<TemplateName, string>> = {},
): CompiledEnvironmentTemplates {
  const compile = (name: TemplateName): CompiledTemplate => {
    try {
      return compileTemplate(sources[name], TEMPLATE_KINDS[name]);
    } catch (error) {
      if (!(error instanceof TemplateCompileError)) throw error;
      const origin = origins[name] ?? `the ${name} template`;
      throw new Error(`Invalid configuration ${origin}: ${error.message}`, { cause: error });
    }
  };
  return {
    pod: compile('pod'),
    service: compile('service'),
    sshService: compile('sshService'),
    route: compile('route'),
  };
}

/** Renders a compiled template: each value becomes the literal content of the scalar its placeholder is in. */
export function renderManifest(template: CompiledTemplate, properties: TemplateProperties): Manifest {
  const invalid = invalidIntegerProperty(properties);
  if (invalid) {
    throw new TemplateError(
      `Template property ${invalid.key} must be an integer, not ${JSON.stringify(invalid.value)}`,
    );
  }
  return checkManifest(renderNode(template.root, properties), template.kind);
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
