// The contract of the environment driver's workflows, written once: workflow types, task queue, updates, signals,
// query, search attributes, phases and error types. Imported by the REST side, the worker, the activities and tests.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EnvironmentStatus } from './types';

export const DEFAULT_TASK_QUEUE = 'environment-driver';

/** Workflow type names: the exported workflow functions' names (checked by a unit test). */
export const ENVIRONMENT_WORKFLOW_TYPE = 'environmentWorkflow';
export const SWEEP_WORKFLOW_TYPE = 'sweepWorkflow';

/** An environment's phases, in the order it passes them (Debugging only when asked for). */
export const PHASES = [
  'Creating',
  'Starting',
  'Ready',
  'Failed',
  'Cancelled',
  'Debugging',
  'Destroying',
  'Destroyed',
] as const;

/** Resolves once the pod and service create calls have returned; fails with the classified create error. */
export const createdUpdate = defineUpdate<CreatedReply>('created');
export interface CreatedReply {
  environmentId: string;
}

/**
 * Debug access (SSH) to a Ready environment: creates the ssh NodePort service and the Route, checks the port and
 * answers host/port; asking again renews the lease. Its validator refuses unless the environment is Ready or
 * Debugging (ENVIRONMENT_NOT_READY); a failed branch fails the Update with DEBUG_FAILED.
 */
export const debugUpdate = defineUpdate<DebugAccessReply>('debug');
export interface DebugAccessReply {
  host: string;
  port: number;
  leaseExpiresAt: string;
}

export const cancelSignal = defineSignal('cancel');
export interface CompleteSignalArgs {
  enableDebug?: boolean;
}
export const completeSignal = defineSignal<[CompleteSignalArgs?]>('complete');

export const statusQuery = defineQuery<EnvironmentStatus>('status');

export const environmentPhaseKey = defineSearchAttributeKey('EnvironmentPhase', SearchAttributeType.KEYWORD);
export const environmentLabelKey = defineSearchAttributeKey('EnvironmentLabel', SearchAttributeType.KEYWORD);
export const environmentImageKey = defineSearchAttributeKey('EnvironmentImage', SearchAttributeType.KEYWORD);

/** For `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword'> = {
  [environmentPhaseKey.name]: 'Keyword',
  [environmentLabelKey.name]: 'Keyword',
  [environmentImageKey.name]: 'Keyword',
};

/**
 * The build agent's environment variables that the default pod template fills from template properties (contract
 * §3.2, §7): env var name → property. Secrets (accessToken, workerUserPassword) come from the environment's Secret.
 */
export const POD_ENV_PROPERTIES = {
  firewallAllowedDestinations: 'firewallAllowedDestinations',
  allowedHttpOutgoingDestinations: 'allowedHttpOutgoingDestinations',
  isHttpActive: 'isHttpActive',
  proxyServer: 'proxyServer',
  proxyPort: 'proxyPort',
  nonProxyHosts: 'nonProxyHosts',
  AProxDependencyUrl: 'AProxDependencyUrl',
  AProxDeployUrl: 'AProxDeployUrl',
  artifactoryDependencyUrl: 'artifactoryDependencyUrl',
  artifactoryDeployUrl: 'artifactoryDeployUrl',
  buildAgentContextPath: 'buildAgentContextPath',
  buildAgentBindPort: 'containerPort',
  logUserId: 'userId',
  logProcessContext: 'processContext',
  buildContentId: 'buildContentId',
} as const satisfies Record<string, TemplateProperty>;

/** Every template property (contract §3.2, plus the names our templates use); `%{name}` in a template. */
export const TEMPLATE_PROPERTIES = [
  'image',
  'firewallAllowedDestinations',
  'allowedHttpOutgoingDestinations',
  'isHttpActive',
  'proxyServer',
  'proxyPort',
  'nonProxyHosts',
  'AProxDependencyUrl',
  'AProxDeployUrl',
  'artifactoryDependencyUrl',
  'artifactoryDeployUrl',
  'containerPort',
  'buildContentId',
  'accessToken',
  'workingDirectory',
  'BUILD_CONFIG_ID',
  'processContext',
  'tmp',
  'exp',
  'userId',
  'resourcesMemory',
  'environment-label',
  'environment-id',
  'pod-name',
  'service-name',
  'ssh-service-name',
  'route-name',
  'route-path',
  'secret-name',
  'buildAgentContextPath',
  'build-agent-host',
  'traceId',
  'spanId',
  'traceparent',
  'workerUserPassword',
] as const;
export type TemplateProperty = (typeof TEMPLATE_PROPERTIES)[number];

/** Error types carried by ApplicationFailure from activities to the workflow and on to the REST adapter. */
export const INVALID_TEMPLATE = 'INVALID_TEMPLATE';
export const QUOTA_EXCEEDED = 'QUOTA_EXCEEDED';
export const CREATE_REFUSED = 'CREATE_REFUSED';
export const DEBUG_FAILED = 'DEBUG_FAILED';
export const ENVIRONMENT_NOT_READY = 'ENVIRONMENT_NOT_READY';
export const TOKEN_FETCH_FAILED = 'TOKEN_FETCH_FAILED';
