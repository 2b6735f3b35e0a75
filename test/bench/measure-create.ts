// (a) bare parallel pod+service create with client-node vs (b) POST /create through the REST adapter,
// interleaved one for one against the same apiserver and namespace so both see the same conditions.
import { performance } from 'node:perf_hooks';
import { createKubeClients, type KubeClients } from '../../activities/k8s/client';
import { renderEnvironmentObjects } from '../../activities/environment-objects';
import type { Manifest } from '../../activities/objects';
import { compileEnvironmentTemplates } from '../../activities/templates';
import { buildEnvironmentInput, type CreateBody } from '../../src/api/environment-input';
import { requestContext } from '../../src/api/request-context';
import type { TestDriver } from '../support/driver';
import { createBody, INVOKER_HEADERS } from '../support/invoker';
import { stackInfo } from '../support/stack';
import { createEnvironment, finishEnvironment, type Receiver } from './environments';
import { createTimeline, History, summarizeParts } from './history-timing';
import { ratio, summarize, withTimeout, type Summary } from './stats';

const BARE_LABEL = 'bench-bare';

/** The objects the driver's create activity would send, rendered from the same templates and config. */
function renderBare(driver: TestDriver, callbackUrl: string): { pod: Manifest; service: Manifest } {
  const { config } = driver;
  const input = buildEnvironmentInput(
    createBody(callbackUrl, { environmentLabel: BARE_LABEL }) as CreateBody,
    requestContext(INVOKER_HEADERS),
    config,
  );
  const deps = {
    templates: compileEnvironmentTemplates(config.templates),
    templateDefaults: config.templateDefaults,
    deployment: 'bench',
  };
  const { pod, service } = renderEnvironmentObjects(deps, input, { accessToken: '', workerUserPassword: null });
  return { pod, service };
}

async function bareCreate(kube: KubeClients, objects: { pod: Manifest; service: Manifest }): Promise<number> {
  const { namespace } = kube;
  const started = performance.now();
  await withTimeout(
    Promise.all([
      kube.core.createNamespacedPod({ namespace, body: objects.pod }),
      kube.core.createNamespacedService({ namespace, body: objects.service }),
    ]),
    10_000,
    'bare pod+service create',
  );
  return performance.now() - started;
}

async function deleteBare(kube: KubeClients): Promise<void> {
  const options = { namespace: kube.namespace, labelSelector: `environment=${BARE_LABEL}` };
  await withTimeout(
    Promise.all([
      kube.core.deleteCollectionNamespacedPod({ ...options, gracePeriodSeconds: 0 }),
      kube.core.deleteCollectionNamespacedService(options),
    ]),
    30_000,
    'delete bare objects',
  );
}

export interface CreateFigures {
  bare: Summary;
  create: Summary;
  ratioP50: number;
  ratioP99: number;
  /** From the workflow histories: where the /create time goes inside Temporal. */
  createTimelineMs: Record<keyof ReturnType<typeof createTimeline>, Summary>;
}

export async function measureCreate(
  driver: TestDriver,
  receiver: Receiver,
  options: { warmup: number; n: number; batch: number },
): Promise<CreateFigures> {
  // Its own client (own connection pool), like any other program talking to the same apiserver.
  const kube = createKubeClients({ kubeconfig: stackInfo().kubeconfig, namespace: driver.kube.namespace });
  const bare: number[] = [];
  const create: number[] = [];
  const timelines: ReturnType<typeof createTimeline>[] = [];
  const total = options.warmup + options.n;
  for (let start = 0; start < total; start += options.batch) {
    const ids: string[] = [];
    const measured: string[] = [];
    for (let i = start; i < Math.min(total, start + options.batch); i++) {
      const objects = renderBare(driver, receiver.url(`bare-${i}`));
      const bareMs = await bareCreate(kube, objects);
      const started = performance.now();
      ids.push(await createEnvironment(driver, receiver.url(`create-${i}`)));
      const createMs = performance.now() - started;
      if (i >= options.warmup) {
        bare.push(bareMs);
        create.push(createMs);
        measured.push(ids[ids.length - 1]);
      }
    }
    // Outside the timed part: destroy this batch so the namespace and the worker stay small.
    await Promise.all(ids.map((id) => finishEnvironment(driver, id, 'cancel')));
    await deleteBare(kube);
    for (const id of measured) timelines.push(createTimeline(await History.fetch(driver, id)));
  }
  const b = summarize(bare);
  const c = summarize(create);
  return {
    bare: b,
    create: c,
    ratioP50: ratio(c.p50, b.p50),
    ratioP99: ratio(c.p99, b.p99),
    createTimelineMs: summarizeParts(timelines),
  };
}
