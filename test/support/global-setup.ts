// Starts the real stack once for the whole test run: etcd + kube-apiserver and a Temporal dev server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/local/binaries';
import { startControlPlane } from '../../src/local/control-plane';
import { startTemporalDevServer } from '../../src/local/temporal-dev-server';
import type { StackInfo } from './stack';

export default async function globalSetup(): Promise<void> {
  if (process.env.ENV_DRIVER_STACK === 'skip') return;
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'env-driver-test-'));
  const binaries = await ensureBinaries();
  const [controlPlane, temporal] = await Promise.all([
    startControlPlane(binaries, join(workDir, 'kube')),
    startTemporalDevServer(binaries.temporal, { logDir: workDir, uiPort: null }),
  ]);
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
  };
  const file = join(workDir, 'stack.json');
  writeFileSync(file, JSON.stringify(info));
  process.env.ENV_DRIVER_STACK_FILE = file;
  process.stderr.write(`\n[stack] kube-apiserver ${info.kubeServer}, Temporal ${info.temporalAddress}, logs in ${workDir} (${Date.now() - started} ms)\n`);
}
