// POST /create: start the environment workflow and wait until its pod and service create calls returned.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import {
  createdUpdate,
  environmentImageKey,
  environmentLabelKey,
  environmentPhaseKey,
  INVALID_TEMPLATE,
  QUOTA_EXCEEDED,
} from '../../../workflows/definitions';
import type { environmentWorkflow } from '../../../workflows/environment';
import type { ApiDeps } from '../deps';
import { buildEnvironmentInput, type CreateBody } from '../environment-input';
import { HttpError, StoppingError } from '../errors';
import { requestContext } from '../request-context';
import { createRequestSchema } from '../schemas';

function createError(error: unknown): Error {
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure)) return error as Error;
  const failure = error.cause;
  if (failure.type === INVALID_TEMPLATE) return new HttpError(400, 'BadResourcesRequestException', failure.message);
  if (failure.type === QUOTA_EXCEEDED) return new HttpError(503, 'QuotaExceededException', failure.message);
  return new HttpError(400, 'UnableToRequestResourcesException', failure.message);
}

export function createRoute(app: FastifyInstance, { config, client, lifecycle }: ApiDeps): void {
  app.post<{ Body: CreateBody }>('/create', { schema: { body: createRequestSchema } }, async (request) => {
    if (lifecycle.shuttingDown) throw new StoppingError();
    const context = requestContext(request.headers);
    const input = buildEnvironmentInput(request.body ?? {}, context, config);
    const { environmentId, environmentLabel } = input.names;
    request.log.info({ environmentId }, 'creating environment');
    try {
      await client.workflow.executeUpdateWithStart(createdUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof environmentWorkflow>('environmentWorkflow', {
          workflowId: environmentId,
          taskQueue: config.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: [
            { key: environmentPhaseKey, value: 'Creating' },
            { key: environmentLabelKey, value: environmentLabel },
            ...(input.request.imageId ? [{ key: environmentImageKey, value: input.request.imageId }] : []),
          ],
        }),
      });
    } catch (error) {
      throw createError(error);
    }
    return {
      environmentId,
      cancel: {
        method: 'PUT',
        uri: `${config.http.selfBaseUrl.replace(/\/+$/, '')}/cancel/${environmentId}`,
        headers: [{ name: 'Content-Type', value: 'application/json' }, ...context.headers],
        attachment: null,
      },
    };
  });
}
