// The objects of an environment, built from the compiled templates: pod, service and Secret at create; ssh
// service and Route for debug. Pure, so tests can check exactly what the activities send.
import type { EnvironmentInput } from '../workflows/types';
import { withOwnLabels, type Manifest } from './objects';
import {
  environmentTemplateProperties,
  pruneSidecars,
  renderManifest,
  type CompiledEnvironmentTemplates,
  type TemplateDefaults,
} from './templates';

export interface TemplateDeps {
  templates: CompiledEnvironmentTemplates;
  templateDefaults: TemplateDefaults;
  deployment: string;
}

export interface EnvironmentSecrets {
  accessToken: string;
  workerUserPassword: string | null;
}

export interface EnvironmentObjects {
  pod: Manifest;
  service: Manifest;
  secret: Manifest | null;
}

/** Pod, service and (when there is a token or a password) the Secret; throws TemplateError. */
export function renderEnvironmentObjects(
  deps: TemplateDeps,
  input: EnvironmentInput,
  secrets: EnvironmentSecrets,
): EnvironmentObjects {
  const properties = environmentTemplateProperties(input, deps.templateDefaults, secrets);
  const pod = pruneSidecars(renderManifest(deps.templates.pod, properties), input.request);
  const service = renderManifest(deps.templates.service, properties);
  const hasSecret = secrets.workerUserPassword !== null || secrets.accessToken !== '';
  const secret = hasSecret
    ? {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: input.names.secretName },
        type: 'Opaque',
        stringData: {
          accessToken: secrets.accessToken,
          ...(secrets.workerUserPassword ? { workerUserPassword: secrets.workerUserPassword } : {}),
        },
      }
    : null;
  return {
    pod: withOwnLabels(pod, input.names, deps.deployment),
    service: withOwnLabels(service, input.names, deps.deployment),
    secret: secret && withOwnLabels(secret, input.names, deps.deployment),
  };
}

/** The ssh NodePort service and the Route of debug access, owned by `owner` (the pod); throws TemplateError. */
export function renderDebugObjects(
  deps: TemplateDeps,
  input: EnvironmentInput,
  owner: Record<string, unknown>,
  withRoute: boolean,
): { sshService: Manifest; route: Manifest | null } {
  const properties = environmentTemplateProperties(input, deps.templateDefaults, {
    accessToken: '',
    workerUserPassword: null,
  });
  const owned = (manifest: Manifest) => {
    const labelled = withOwnLabels(manifest, input.names, deps.deployment);
    return { ...labelled, metadata: { ...labelled.metadata, ownerReferences: [owner] } };
  };
  return {
    sshService: owned(renderManifest(deps.templates.sshService, properties)),
    route: withRoute ? owned(renderManifest(deps.templates.route, properties)) : null,
  };
}
