export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __envDriverStack?: { stop(): Promise<void> } }).__envDriverStack?.stop();
}
