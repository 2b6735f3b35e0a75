// The worker child runs as compiled JavaScript, as the image does (`node dist/src/main.js`): a TypeScript
// loader in the process would add ~70 MB of RSS that production does not have. swc transpiles only (no checks).
import { transformFileSync } from '@swc/core';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : typescriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Transpiles the product's code plus `entry` into a temporary directory; returns the entry's compiled path. */
export function compileForNode(entry: string): { out: string; entry: string } {
  const out = mkdtempSync(join(tmpdir(), 'env-driver-bench-js-'));
  const files = [...['src', 'activities', 'workflows'].flatMap((d) => typescriptFiles(join(root, d))), resolve(entry)];
  for (const file of files) {
    const { code } = transformFileSync(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
      swcrc: false,
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  copyFileSync(join(root, 'package.json'), join(out, 'package.json'));
  return { out, entry: join(out, relative(root, resolve(entry))).replace(/\.ts$/, '.js') };
}
