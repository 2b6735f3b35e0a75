// POST /create: start the environment workflow and wait until its pod and service create calls returned.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  createdUpdate,
  environmentImageKey,
  environmentLabelKey,
  environmentPhaseKey,
  INVALID_TEMPLATE,
  QUOTA_EXCEEDED,
  TOKEN_FETCH_FAILED,
} from '../../../workflows/definitions';
import type { environmentWorkflow } from '../../../workflows/environment';
import type { ApiApp, ApiDeps } from '../deps';
import { buildEnvironmentInput } from '../environment-input';
import { HttpError, StoppingError } from '../errors';
import { requestContext } from '../request-context';
import { createHeadersSchema, createRequestSchema } from '../schemas';

function createError(error: unknown): Error {
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure))
    return error as Error;
  const failure = error.cause;
  if (failure.type === INVALID_TEMPLATE) return new HttpError(400, 'BadResourcesRequestException', failure.message);
  if (failure.type === QUOTA_EXCEEDED) return new HttpError(503, 'QuotaExceededException', failure.message);
  if (failure.type === TOKEN_FETCH_FAILED) return new HttpError(500, 'DriverException', failure.message);
  return new HttpError(400, 'UnableToRequestResourcesException', failure.message);
}

export function createRoute(app: ApiApp, { config, client, lifecycle }: ApiDeps): void {
  const schema = { body: createRequestSchema, headers: createHeadersSchema };
  app.post('/create', { schema }, async (request) => {
    if (lifecycle.shuttingDown) throw new StoppingError();
    const context = requestContext(request.headers);
    const input = buildEnvironmentInput(request.body, context, config);
    const { environmentId, environmentLabel } = input.names;
    // Every line about this environment carries its id and the invoker's correlation ids.
    const log = request.log.child({ environmentId, processContext: context.processContext, traceId: context.traceId });
    log.info({ imageId: input.request.imageId }, 'creating environment');
    // Bounded: without a worker nothing would ever answer. Then the environment is withdrawn (nothing was created
    // by a worker that never ran; anything a late worker made is labelled and swept) and the invoker may retry.
    const deadline = Date.now() + config.settings.httpRequestTimeoutMs * 2;
    try {
      await client.connection.withDeadline(deadline, () =>
        client.workflow.executeUpdateWithStart(createdUpdate, {
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
        }),
      );
    } catch (error) {
      // The SDK reports a passed deadline in several shapes (gRPC DEADLINE_EXCEEDED, ServiceError, update RPC timeout).
      if (!(error instanceof WorkflowUpdateFailedError) && Date.now() >= deadline) {
        log.warn({ err: error }, 'no worker created the environment in time');
        await client.workflow
          .getHandle(environmentId)
          .terminate('no worker created the environment in time')
          .catch(() => undefined);
        throw new HttpError(
          503,
          'TemporarilyUnableToStartException',
          `No worker created environment ${environmentId} within ${(config.settings.httpRequestTimeoutMs * 2) / 1000} s; try again`,
        );
      }
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
