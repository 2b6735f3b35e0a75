// Finding the real servers: explicit variables win, then PATH, then the cache; without Go the error says how
// to supply binaries instead.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, findBinary, KUBERNETES_VERSION, TEMPORAL_CLI_VERSION } from '../../src/local/binaries';

function fakeBinary(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('binaries', () => {
  const root = mkdtempSync(join(tmpdir(), 'binaries-'));
  const cache = join(root, 'cache');
  const emptyPath = join(root, 'empty-bin');
  mkdirSync(emptyPath, { recursive: true });

  it('prefers the explicit variable, then PATH, then the versioned cache', () => {
    const cached = fakeBinary(join(cache, 'bin', `temporal-${TEMPORAL_CLI_VERSION}`), 'temporal');
    const onPath = fakeBinary(join(root, 'path-bin'), 'temporal');
    const explicit = fakeBinary(join(root, 'explicit'), 'temporal');
    const base = { PNC_ENV_DRIVER_CACHE: cache, PATH: emptyPath };
    expect(findBinary('temporal', base)).toBe(cached);
    expect(findBinary('temporal', { ...base, PATH: join(root, 'path-bin') })).toBe(onPath);
    expect(findBinary('temporal', { ...base, PATH: join(root, 'path-bin'), TEMPORAL_CLI_PATH: explicit })).toBe(
      explicit,
    );
    expect(() => findBinary('temporal', { ...base, TEMPORAL_CLI_PATH: join(root, 'missing') })).toThrow(
      /TEMPORAL_CLI_PATH=.*does not exist/,
    );
  });

  it('explains what to do when it would have to build without Go', async () => {
    const env = { PNC_ENV_DRIVER_CACHE: join(root, 'empty-cache'), PATH: emptyPath };
    await expect(ensureBinaries(env)).rejects.toThrow(
      /no Go toolchain.*TEMPORAL_CLI_PATH, KUBE_APISERVER_PATH and ETCD_PATH/s,
    );
  });

  it('finds kube-apiserver and etcd in the cache of their Kubernetes version', () => {
    const dir = join(cache, 'bin', `kube-${KUBERNETES_VERSION}`);
    fakeBinary(dir, 'kube-apiserver');
    fakeBinary(dir, 'etcd');
    expect(findBinary('kubeApiserver', { PNC_ENV_DRIVER_CACHE: cache, PATH: emptyPath })).toBe(
      join(dir, 'kube-apiserver'),
    );
    expect(findBinary('etcd', { PNC_ENV_DRIVER_CACHE: cache, PATH: emptyPath })).toBe(join(dir, 'etcd'));
  });
});
