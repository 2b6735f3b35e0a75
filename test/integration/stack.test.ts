// Proves the stack is real: the apiserver stores, validates and authorizes; Temporal runs and indexes workflows.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { ApiException, createKubeClients, type KubeClients } from '../../activities/k8s/client';
import { freshNamespace, stackInfo } from '../support/stack';

describe('the real stack', () => {
  let kube: KubeClients;
  beforeAll(async () => {
    kube = await freshNamespace('smoke');
  });

  it('stores a pod and serves it back', async () => {
    await kube.core.createNamespacedPod({
      namespace: kube.namespace,
      body: {
        metadata: { name: 'smoke', labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    });
    const pod = await kube.core.readNamespacedPod({ name: 'smoke', namespace: kube.namespace });
    expect(pod.metadata?.labels).toEqual({ a: 'b' });
    expect(pod.status?.phase).toBe('Pending'); // no scheduler, no kubelet
  });

  it('rejects an invalid pod with 422', async () => {
    const error = await kube.core
      .createNamespacedPod({
        namespace: kube.namespace,
        body: { metadata: { name: 'Not_Valid' }, spec: { containers: [] } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(422);
  });

  it('answers 403 to a user without RBAC bindings', async () => {
    const developer = createKubeClients({ kubeconfig: stackInfo().userKubeconfig, namespace: kube.namespace });
    const error = await developer.core.listNamespacedPod({ namespace: kube.namespace }).catch((e: unknown) => e);
    expect((error as ApiException<unknown>).code).toBe(403);
  });

  it('gives services a loopback cluster IP', async () => {
    const service = await kube.core.createNamespacedService({
      namespace: kube.namespace,
      body: { metadata: { name: 'smoke' }, spec: { ports: [{ port: 80 }], selector: { a: 'b' } } },
    });
    expect(service.spec?.clusterIP).toMatch(/^127\.0\.\d+\.\d+$/);
  });

  it('runs a workflow on a real worker and finds it by search attribute', async () => {
    const { temporalAddress } = stackInfo();
    const taskQueue = `smoke-${randomBytes(4).toString('hex')}`;
    const label = `label-${randomBytes(4).toString('hex')}`;
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: temporalAddress }),
      taskQueue,
      workflowsPath: require.resolve('../support/workflows/smoke'),
    });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection });
    try {
      const result = await worker.runUntil(
        client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: `smoke-${label}`, args: [label] }),
      );
      expect(result).toBe(`hello ${label}`);
      let found: string[] = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        found = [];
        for await (const wf of client.workflow.list({ query: `EnvironmentLabel = '${label}'` }))
          found.push(wf.workflowId);
        if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toEqual([`smoke-${label}`]);
    } finally {
      await connection.close();
    }
  });
});
