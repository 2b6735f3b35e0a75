// The Temporal client layer: every Temporal call the REST side makes, as intention-revealing functions that
// return domain results or throw EnvironmentError. Routes only translate HTTP to and from these.
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import {
  cancelSignal,
  completeSignal,
  createdUpdate,
  DEBUG_FAILED,
  debugUpdate,
  ENVIRONMENT_NOT_READY,
  ENVIRONMENT_WORKFLOW_TYPE,
  environmentImageKey,
  environmentLabelKey,
  environmentPhaseKey,
  INVALID_TEMPLATE,
  PHASES,
  QUOTA_EXCEEDED,
  statusQuery,
  SWEEP_WORKFLOW_TYPE,
  TOKEN_FETCH_FAILED,
  type DebugAccessReply,
} from '../../workflows/definitions';
import type { environmentWorkflow } from '../../workflows/environment';
import type { EnvironmentInput, EnvironmentStatus, Phase, SweepInput } from '../../workflows/types';
import { EnvironmentError, type EnvironmentErrorCode } from './environment-errors';

/** One row of GET /environments: what visibility knows without asking the workflow. */
export interface EnvironmentSummary {
  environmentId: string;
  environmentLabel: string | null;
  phase: string | null;
  imageId: string | null;
  workflowStatus: string;
  startTime: string;
  closeTime: string | null;
}

const CREATE_FAILURES: Record<string, EnvironmentErrorCode> = {
  [INVALID_TEMPLATE]: 'INVALID_TEMPLATE',
  [QUOTA_EXCEEDED]: 'QUOTA_EXCEEDED',
  [TOKEN_FETCH_FAILED]: 'TOKEN_FETCH_FAILED',
};

export class EnvironmentClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the environment and returns once its pod and service create calls have returned (update-with-start).
   * Bounded by `timeoutMs`: with no worker nothing would ever answer, so the environment is then withdrawn.
   */
  async create(input: EnvironmentInput, timeoutMs: number): Promise<void> {
    const { environmentId, environmentLabel } = input.names;
    const deadline = Date.now() + timeoutMs;
    try {
      await this.client.connection.withDeadline(deadline, () =>
        this.client.workflow.executeUpdateWithStart(createdUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation<typeof environmentWorkflow>(
            ENVIRONMENT_WORKFLOW_TYPE,
            {
              workflowId: environmentId,
              taskQueue: this.taskQueue,
              args: [input],
              workflowIdConflictPolicy: 'FAIL',
              typedSearchAttributes: [
                { key: environmentPhaseKey, value: 'Creating' },
                { key: environmentLabelKey, value: environmentLabel },
                ...(input.request.imageId ? [{ key: environmentImageKey, value: input.request.imageId }] : []),
              ],
            },
          ),
        }),
      );
    } catch (error) {
      const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (failure instanceof ApplicationFailure) {
        throw new EnvironmentError(CREATE_FAILURES[failure.type ?? ''] ?? 'CREATE_REFUSED', failure.message);
      }
      // The SDK reports a passed deadline in several shapes (gRPC DEADLINE_EXCEEDED, ServiceError, update timeout).
      if (Date.now() < deadline) throw error;
      // Nothing was created by a worker that never ran; anything a late worker made is labelled and swept.
      await this.client.workflow
        .getHandle(environmentId)
        .terminate('no worker created the environment in time')
        .catch(() => undefined);
      throw new EnvironmentError(
        'NO_WORKER',
        `No worker created environment ${environmentId} within ${timeoutMs / 1000} s; try again`,
      );
    }
  }

  /** Asks the environment to cancel; false when no running environment has this id. */
  cancel(environmentId: string): Promise<boolean> {
    return this.signal(environmentId, () => this.client.workflow.getHandle(environmentId).signal(cancelSignal));
  }

  /** Asks the environment to complete (destroy); false when no running environment has this id. */
  complete(environmentId: string): Promise<boolean> {
    return this.signal(environmentId, () => this.client.workflow.getHandle(environmentId).signal(completeSignal));
  }

  /** Completes every running environment of the label and sweeps its objects no running workflow owns. */
  async completeLabel(environmentLabel: string): Promise<{ environmentIds: string[]; sweepId: string }> {
    const environmentIds = (await this.list({ label: environmentLabel, running: true })).map((e) => e.environmentId);
    await Promise.all(environmentIds.map((id) => this.complete(id)));
    const input: SweepInput = { labelSelector: `environment=${environmentLabel}`, olderThanMs: 0 };
    const sweep = await this.client.workflow.start(SWEEP_WORKFLOW_TYPE, {
      workflowId: `sweep-label-${environmentLabel}-${randomBytes(3).toString('hex')}`,
      taskQueue: this.taskQueue,
      args: [input],
    });
    return { environmentIds, sweepId: sweep.workflowId };
  }

  /** The environment's `status` query. */
  async status(environmentId: string): Promise<EnvironmentStatus> {
    try {
      return await this.client.workflow.getHandle(environmentId).query(statusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound(environmentId);
      throw error;
    }
  }

  /**
   * The query-guarded debug branch: the `status` query refuses at once (not found, not Ready), then the `debug`
   * Update runs the branch and returns host and port. Asking again renews the lease.
   */
  async requestDebug(environmentId: string, timeoutMs: number): Promise<DebugAccessReply> {
    const { phase } = await this.status(environmentId);
    if (phase !== 'Ready' && phase !== 'Debugging') throw notReady(environmentId, phase);
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.client.connection.withDeadline(deadline, () =>
        this.client.workflow.getHandle(environmentId).executeUpdate(debugUpdate),
      );
    } catch (error) {
      const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (failure instanceof ApplicationFailure && failure.type === ENVIRONMENT_NOT_READY)
        throw new EnvironmentError('NOT_READY', failure.message);
      if (failure instanceof ApplicationFailure && failure.type === DEBUG_FAILED)
        throw new EnvironmentError('DEBUG_FAILED', `Debug access to ${environmentId} failed: ${failure.message}`);
      if (error instanceof WorkflowNotFoundError) throw notReady(environmentId, 'Destroyed'); // finished meanwhile
      if (Date.now() < deadline) throw error;
      throw new EnvironmentError(
        'DEBUG_TIMEOUT',
        `Debug access to ${environmentId} was not ready in time; see GET /environments/${environmentId}`,
      );
    }
  }

  /** Environments of this deployment from visibility, newest first, optionally filtered. */
  async list(filter: {
    label?: string;
    phase?: Phase;
    running?: boolean;
    limit?: number;
  }): Promise<EnvironmentSummary[]> {
    const clauses = [this.ours()];
    if (filter.label) clauses.push(`${environmentLabelKey.name} = '${filter.label}'`);
    if (filter.phase) clauses.push(`${environmentPhaseKey.name} = '${filter.phase}'`);
    if (filter.running) clauses.push(`ExecutionStatus = 'Running'`);
    const environments: EnvironmentSummary[] = [];
    for await (const workflow of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      const attribute = (key: string) => (workflow.searchAttributes[key]?.[0] as string | undefined) ?? null;
      environments.push({
        environmentId: workflow.workflowId,
        environmentLabel: attribute(environmentLabelKey.name),
        phase: attribute(environmentPhaseKey.name),
        imageId: attribute(environmentImageKey.name),
        workflowStatus: workflow.status.name,
        startTime: workflow.startTime.toISOString(),
        closeTime: workflow.closeTime?.toISOString() ?? null,
      });
      if (filter.limit !== undefined && environments.length >= filter.limit) break;
    }
    return environments;
  }

  /** Running environments per phase (Destroyed is never running). */
  async countByPhase(): Promise<Record<Phase, number>> {
    const base = `${this.ours()} AND ExecutionStatus = 'Running'`;
    const counts = await Promise.all(
      PHASES.map((phase) => this.client.workflow.count(`${base} AND ${environmentPhaseKey.name} = '${phase}'`)),
    );
    return Object.fromEntries(PHASES.map((phase, i) => [phase, counts[i].count])) as Record<Phase, number>;
  }

  /** Whether the Temporal frontend answers within `timeoutMs` (readiness). */
  async reachable(timeoutMs: number): Promise<void> {
    await this.client.connection.withDeadline(Date.now() + timeoutMs, () =>
      this.client.workflowService.getSystemInfo({}),
    );
  }

  /** Scoped to our task queue: deployments sharing a Temporal namespace never touch each other's environments. */
  private ours(): string {
    return `WorkflowType = '${ENVIRONMENT_WORKFLOW_TYPE}' AND TaskQueue = '${this.taskQueue}'`;
  }

  private async signal(environmentId: string, send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }
}

function notFound(environmentId: string): EnvironmentError {
  return new EnvironmentError('NOT_FOUND', `No environment ${environmentId}`);
}

function notReady(environmentId: string, phase: string): EnvironmentError {
  return new EnvironmentError(
    'NOT_READY',
    `Environment ${environmentId} is ${phase}: debug access needs a Ready environment`,
  );
}
