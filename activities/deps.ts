// What activities need from the process that hosts them; built once by the worker, injected in tests.
import type { KubeClients } from './k8s/client';
import type { TemplateDefaults } from './templates';

export interface EnvironmentTemplates {
  pod: string;
  service: string;
  sshService: string;
  route: string;
}

export interface ActivityDeps {
  kube: KubeClients;
  templates: EnvironmentTemplates;
  templateDefaults: TemplateDefaults;
  /** Authorization header value for callbacks; never part of workflow history. */
  callbackAuthorization: string | null;
  /** Whether an environment's workflow is still running (the sweeper never touches a live environment). */
  isEnvironmentRunning(environmentId: string): Promise<boolean>;
}

export const MANAGED_BY = 'pnc-environment-driver';
export const LABEL_ENVIRONMENT = 'environment';
export const LABEL_ENVIRONMENT_ID = 'pnc-environment-id';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
