// `npm start`: in local mode (no TEMPORAL_ADDRESS, as src/config decides) the sources run through swc, so an edit
// needs no build; otherwise the compiled dist/, (re)built first when missing or older than the sources. The
// driver runs as a child: SIGINT/SIGTERM are passed on and its exit code is ours. Plain JS: no loader needed.
'use strict';
const { spawn } = require('node:child_process');
const { hostname } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

/** Mirrors DRIVER_LOCAL_MODE / TEMPORAL_ADDRESS in src/config/environment.ts (blank = unset). */
function localMode(env) {
  const explicit = (env.DRIVER_LOCAL_MODE ?? '').trim().toLowerCase();
  if (explicit === 'true' || explicit === 'false') return explicit === 'true';
  return (env.TEMPORAL_ADDRESS ?? '').trim() === '';
}

function swcAvailable() {
  try {
    require.resolve('@swc-node/register', { paths: [ROOT] });
    return true;
  } catch {
    return false; // a production install (--omit=dev): run the compiled code
  }
}

/** The launcher's own lines, as the driver writes them (src/logging/logger.ts; pino levels: 30 info, 60 fatal). */
function log(level, msg, fields = {}) {
  const format = (process.env.LOG_FORMAT ?? '').trim();
  if (format === 'pretty' || (format !== 'json' && process.stdout.isTTY)) {
    process.stdout.write(`[${new Date().toTimeString().slice(0, 8)}] ${level >= 60 ? 'FATAL' : 'INFO'}: ${msg}\n`);
    return;
  }
  const line = { level, time: Date.now(), pid: process.pid, hostname: hostname(), service: 'environment-driver' };
  process.stdout.write(`${JSON.stringify({ ...line, component: 'launcher', ...fields, msg })}\n`);
}

function command() {
  if (localMode(process.env) && swcAvailable()) return ['-r', '@swc-node/register', 'src/main.ts'];
  const { ensureBuilt } = require('./build');
  const result = ensureBuilt();
  if (result.built) log(30, `dist/ built (${result.reason})`, { reason: result.reason, ...result.info });
  return ['dist/src/main.js'];
}

function main() {
  let args;
  try {
    args = command();
  } catch (error) {
    log(60, `environment-driver failed to build: ${error.message}`);
    process.exit(1);
  }
  // Its own process group: Ctrl-C reaches the launcher only, which passes it on once. The driver drains on a
  // first SIGINT and stops at once on a second, so it must not get the terminal's copy as well.
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // Die of the same signal, so that a shell sees what happened to the driver.
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(name);
    process.kill(process.pid, signal);
  });
}

main();
