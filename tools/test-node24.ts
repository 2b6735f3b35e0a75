// `npm run test:node24 [jest args]`: jest itself under Node 24 LTS (fetched once by tools/node24.ts), so that the
// test processes, the in-process driver and every child they spawn (process.execPath) run on the production
// runtime. Without a path argument it runs the e2e tier, test/e2e.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNode24 } from './node24';

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const paths = args.some((arg) => !arg.startsWith('-')) ? [] : ['test/e2e'];
const node = ensureNode24();
process.stdout.write(`[test:node24] ${node} node_modules/jest/bin/jest.js ${[...paths, ...args].join(' ')}\n`);
const jest = spawn(node, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...paths, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
});
// Ctrl-C reaches jest from the terminal too; passing SIGTERM on lets a CI runner stop it.
process.on('SIGTERM', () => jest.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
jest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
