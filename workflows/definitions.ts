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

/** Error types carried by ApplicationFailure from activities to the workflow and on to the REST adapter. */
export const INVALID_TEMPLATE = 'INVALID_TEMPLATE';
export const QUOTA_EXCEEDED = 'QUOTA_EXCEEDED';
export const CREATE_REFUSED = 'CREATE_REFUSED';
export const DEBUG_FAILED = 'DEBUG_FAILED';
export const ENVIRONMENT_NOT_READY = 'ENVIRONMENT_NOT_READY';
export const TOKEN_FETCH_FAILED = 'TOKEN_FETCH_FAILED';
