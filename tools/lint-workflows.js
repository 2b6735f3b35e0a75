#!/usr/bin/env node
// Workflow code runs in Temporal's deterministic sandbox: it must not import Node built-ins, the Kubernetes
// client, the REST adapter (src/), or activity code except as types. Fails with the offending lines.
const { readdirSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { builtinModules } = require('node:module');

const root = join(__dirname, '..');
const dir = join(root, 'workflows');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const importPattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

function files(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

const problems = [];
for (const file of files(dir)) {
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(importPattern)) {
    const typeOnly = Boolean(match[2]);
    const target = match[3] ?? match[4];
    const line = source.slice(0, match.index).split('\n').length;
    const where = `${relative(root, file)}:${line}`;
    if (builtins.has(target)) problems.push(`${where} imports the Node built-in '${target}'`);
    else if (target.startsWith('@kubernetes/client-node')) problems.push(`${where} imports @kubernetes/client-node`);
    else if (/^(\.\.\/)+src(\/|$)/.test(target)) problems.push(`${where} imports the REST adapter (${target})`);
    else if (/^(\.\.\/)+activities(\/|$)/.test(target) && !typeOnly) problems.push(`${where} imports activity code (use 'import type')`);
  }
}
if (problems.length) {
  console.error(`workflow lint: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`workflow lint: ${files(dir).length} files clean`);
