// Additive, read-only views for operators: one environment's status query, and a visibility listing.
import type { ApiApp, ApiDeps } from '../deps';
import { environmentStatus } from '../environment-status';
import { environmentIdParams, environmentsQuery } from '../schemas';

export function environmentRoutes(app: ApiApp, { client, config }: ApiDeps): void {
  app.get('/environments/:environmentId', { schema: { params: environmentIdParams } }, async (request) => {
    return environmentStatus(client, request.params.environmentId);
  });

  app.get('/environments', { schema: { querystring: environmentsQuery } }, async (request) => {
    const { label, phase } = request.query;
    const limit = Number(request.query.limit ?? 100);
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
  });
}
