// What activities need from the process that hosts them; built once by the worker, injected in tests.
import type { IndyTokenSource } from './access-token';
import type { FinalLogOutcome, FinalLogTarget } from './final-log';
import type { ArtifactoryTokenSource } from './artifactory';
import type { KubeClients } from './k8s/client';
import type { OutboundHttp } from './outbound-http';
import type { CompiledEnvironmentTemplates, TemplateDefaults } from './templates';

export interface ActivityDeps {
  kube: KubeClients;
  /** Compiled once at worker start (compileEnvironmentTemplates): no YAML is parsed per environment. */
  templates: CompiledEnvironmentTemplates;
  templateDefaults: TemplateDefaults;
  /** Every call outside Kubernetes (callback, Indy, …): adds the service identity and the trace context. */
  outbound: OutboundHttp;
  /** Whether an environment's workflow is still running (the sweeper never touches a live environment). */
  isEnvironmentRunning(environmentId: string): Promise<boolean>;
  metrics: ActivityMetrics;
  /**
   * Which driver deployment owns an object (its task queue, as a label value). The sweeper only ever looks at its
   * own deployment's objects, so drivers sharing a Kubernetes namespace never sweep each other's environments.
   */
  deployment: string;
  /** Where build agents' repository tokens come from; null: the token is empty (disable-indy-token-fetch). */
  indy: IndyTokenSource | null;
  /** When set, each environment's token is minted by Artifactory (instead of Indy) and revoked when it goes. */
  artifactory: ArtifactoryTokenSource | null;
  /** Whether the cluster serves OpenShift Routes (probed once at worker start); false skips every route step. */
  routeApi: boolean;
  /** Bifrost, where each environment's user log goes before its callback; null or absent: no upload. */
  finalLog?: FinalLogTarget | null;
}

/** What activities count; Prometheus in the service, a no-op where nobody scrapes. */
export interface ActivityMetrics {
  /** How a readiness wait ended: SUCCESS, or FAILED/SYSTEM_ERROR with its cause (pod status or what timed out). */
  readiness(status: 'SUCCESS' | 'FAILED' | 'SYSTEM_ERROR', cause: string): void;
  /** One callback delivery attempt. */
  callbackAttempt(status: string, delivered: boolean): void;
  /** How a final-log upload to Bifrost ended (once per callback). */
  finalLogUpload(outcome: FinalLogOutcome): void;
  /** Objects deleted, by environment destroy or by the orphan sweeper. */
  deleted(by: 'destroy' | 'sweeper', count: number): void;
  /** Artifactory token events: minted, mint-failed, revoked, unknown (404: already gone), revoke-failed, unconfigured. */
  artifactoryToken(event: ArtifactoryTokenEvent): void;
}

export type ArtifactoryTokenEvent = 'minted' | 'mint-failed' | 'revoked' | 'unknown' | 'revoke-failed' | 'unconfigured';

export const NO_METRICS: ActivityMetrics = {
  readiness() {},
  callbackAttempt() {},
  finalLogUpload() {},
  deleted() {},
  artifactoryToken() {},
};

export const MANAGED_BY = 'pnc-environment-driver';
export const LABEL_ENVIRONMENT = 'environment';
export const LABEL_ENVIRONMENT_ID = 'pnc-environment-id';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_DEPLOYMENT = 'pnc-environment-driver/deployment';

/** A task queue name as a valid label value (≤ 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends). */
export function deploymentLabelValue(taskQueue: string): string {
  return (
    taskQueue
      .replace(/[^A-Za-z0-9-_.]/g, '-')
      .slice(0, 63)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'default'
  );
}
