// /version's commit and builtOn: what the build recorded, else the checkout's HEAD; BUILD_COMMIT/BUILD_TIME win
// unless they are placeholders. Never the epoch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInfo, gitCommit } from '../../src/config/build-info';

const ROOT = join(__dirname, '..', '..');
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();

describe('build info', () => {
  it('from source in a git checkout: HEAD and an ISO time (the start)', () => {
    const info = buildInfo({ commit: null, time: null });
    expect(info.commit).toBe(head);
    expect(new Date(info.builtOn).toISOString()).toBe(info.builtOn);
    expect(Date.now() - Date.parse(info.builtOn)).toBeLessThan(24 * 3600_000); // this process's start, not 1970
    expect(buildInfo({ commit: null, time: null })).toEqual(info); // looked up once
  });

  it('BUILD_COMMIT and BUILD_TIME override, their placeholders do not', () => {
    expect(buildInfo({ commit: 'c536d2f', time: '2026-11-30T10:00:00Z' })).toEqual({
      commit: 'c536d2f',
      builtOn: '2026-11-30T10:00:00Z',
    });
    const placeholders = buildInfo({ commit: 'unknown', time: 'unknown' });
    expect(placeholders.commit).toBe(head);
    expect(placeholders.builtOn).not.toMatch(/^1970/);
  });

  it('no commit outside git', () => {
    expect(gitCommit(mkdtempSync(join(tmpdir(), 'not-a-checkout-')))).toBeNull();
  });
});
