// Starts the real stack once for the whole test run: etcd + kube-apiserver and a Temporal dev server.
import { startRealStack } from './real-stack';

export default async function globalSetup(): Promise<void> {
  if (process.env.ENV_DRIVER_STACK === 'skip') return;
  const { info, file, startedInMs, stop } = await startRealStack();
  (globalThis as { __envDriverStack?: { stop(): Promise<void> } }).__envDriverStack = { stop };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }
  process.env.ENV_DRIVER_STACK_FILE = file;
  process.stderr.write(
    `\n[stack] kube-apiserver ${info.kubeServer}, Temporal ${info.temporalAddress}, logs in ${info.workDir} (${startedInMs} ms)\n`,
  );
}
