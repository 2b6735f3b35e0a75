// `npm run test:cluster`: the production topology (tools/cluster) started by each test file itself — PostgreSQL,
// the Temporal server, a kube-apiserver, replicas of the compiled driver — so no shared dev-server stack.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 600_000,
};
