// The real stack, startable from anywhere (jest's global setup, the benchmark): etcd + kube-apiserver, a
// Temporal dev server and the workflow bundle, with connection details written to a stack file.
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACING_WORKFLOW_MODULES } from '../../src/telemetry/worker-tracing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/local/binaries';
import { startControlPlane } from '../../src/local/control-plane';
import { startTemporalDevServer } from '../../src/local/temporal-dev-server';
import type { StackInfo } from './stack';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

export interface RealStack {
  info: StackInfo;
  /** The JSON file `stackInfo()` reads through ENV_DRIVER_STACK_FILE. */
  file: string;
  startedInMs: number;
  stop(): Promise<void>;
}

export async function startRealStack(prefix = 'env-driver-test-'): Promise<RealStack> {
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), prefix));
  const binaries = await ensureBinaries();
  const [controlPlane, temporal, bundle, tracedBundle] = await Promise.allSettled([
    startControlPlane(binaries, join(workDir, 'kube')),
    startTemporalDevServer(binaries.temporal, { logDir: workDir, uiPort: null }),
    // Bundled once for every test file (webpack takes seconds), as a worker bundles its code at start: plain, and
    // with the tracing interceptors for drivers with tracing on. The replay test replays through both.
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: TRACING_WORKFLOW_MODULES,
      logger: quietLogger,
    }),
  ]);
  const stop = async () => {
    await Promise.all([controlPlane, temporal].flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
  };
  if (
    controlPlane.status === 'rejected' ||
    temporal.status === 'rejected' ||
    bundle.status === 'rejected' ||
    tracedBundle.status === 'rejected'
  ) {
    await stop();
    const failed = [controlPlane, temporal, bundle, tracedBundle].find(
      (s) => s.status === 'rejected',
    ) as PromiseRejectedResult;
    throw failed.reason;
  }
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.value.code);
  const tracedWorkflowBundlePath = join(workDir, 'workflow-bundle-traced.js');
  writeFileSync(tracedWorkflowBundlePath, tracedBundle.value.code);
  const info: StackInfo = {
    temporalAddress: temporal.value.address,
    kubeServer: controlPlane.value.server,
    kubeconfig: controlPlane.value.kubeconfig,
    userKubeconfig: controlPlane.value.userKubeconfig,
    workDir,
    workflowBundlePath,
    tracedWorkflowBundlePath,
  };
  const file = join(workDir, 'stack.json');
  writeFileSync(file, JSON.stringify(info));
  return { info, file, startedInMs: Date.now() - started, stop };
}
