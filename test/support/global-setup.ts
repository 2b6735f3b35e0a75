// Starts the real stack once for the whole test run: etcd + kube-apiserver and a Temporal dev server.
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/local/binaries';
import { startControlPlane } from '../../src/local/control-plane';
import { startTemporalDevServer } from '../../src/local/temporal-dev-server';
import type { StackInfo } from './stack';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

export default async function globalSetup(): Promise<void> {
  if (process.env.ENV_DRIVER_STACK === 'skip') return;
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'env-driver-test-'));
  const binaries = await ensureBinaries();
  const [controlPlane, temporal, bundle] = await Promise.all([
    startControlPlane(binaries, join(workDir, 'kube')),
    startTemporalDevServer(binaries.temporal, { logDir: workDir, uiPort: null }),
    // Bundled once for every test file: webpack takes seconds.
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger }),
  ]);
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  const stop = async () => {
    await Promise.all([controlPlane.stop(), temporal.stop()]);
  };
  (globalThis as { __envDriverStack?: { stop(): Promise<void> } }).__envDriverStack = { stop };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }
  const info: StackInfo = {
    temporalAddress: temporal.address,
    kubeServer: controlPlane.server,
    kubeconfig: controlPlane.kubeconfig,
    userKubeconfig: controlPlane.userKubeconfig,
    workDir,
    workflowBundlePath,
  };
  const file = join(workDir, 'stack.json');
  writeFileSync(file, JSON.stringify(info));
  process.env.ENV_DRIVER_STACK_FILE = file;
  process.stderr.write(`\n[stack] kube-apiserver ${info.kubeServer}, Temporal ${info.temporalAddress}, logs in ${workDir} (${Date.now() - started} ms)\n`);
}
