// Additive, read-only views for operators: one environment's status query, and a visibility listing.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';
import { environmentStatus } from '../environment-status';
import { environmentIdParams } from '../schemas';

const PHASES = ['Creating', 'Starting', 'Ready', 'Failed', 'Cancelled', 'Debugging', 'Destroying', 'Destroyed'];

export function environmentRoutes(app: FastifyInstance, { client, config }: ApiDeps): void {
  app.get<{ Params: { environmentId: string } }>(
    '/environments/:environmentId',
    { schema: { params: environmentIdParams } },
    async (request) => {
      return environmentStatus(client, request.params.environmentId);
    },
  );

  app.get<{ Querystring: { label?: string; phase?: string; limit?: number } }>(
    '/environments',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            label: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
            phase: { type: 'string', enum: PHASES },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (request) => {
      const { label, phase, limit = 100 } = request.query;
      const clauses = ["WorkflowType = 'environmentWorkflow'", `TaskQueue = '${config.temporal.taskQueue}'`];
      if (label) clauses.push(`EnvironmentLabel = '${label}'`);
      if (phase) clauses.push(`EnvironmentPhase = '${phase}'`);
      const environments = [];
      for await (const workflow of client.workflow.list({ query: clauses.join(' AND ') })) {
        const attributes = workflow.searchAttributes as Record<string, unknown[] | undefined>;
        environments.push({
          environmentId: workflow.workflowId,
          environmentLabel: attributes.EnvironmentLabel?.[0] ?? null,
          phase: attributes.EnvironmentPhase?.[0] ?? null,
          imageId: attributes.EnvironmentImage?.[0] ?? null,
          workflowStatus: workflow.status.name,
          startTime: workflow.startTime.toISOString(),
          closeTime: workflow.closeTime?.toISOString() ?? null,
        });
        if (environments.length >= limit) break;
      }
      return { environments };
    },
  );
}
