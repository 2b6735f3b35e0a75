// client-node and a few of its dependencies ship ESM only: let swc transform them too.
const esmPackages = [
  '@kubernetes/client-node',
  'typebox',
  'openid-client',
  'oauth4webapi',
  'jose',
  'jsonpath-plus',
  'jsep',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The cluster tier starts its own topology: `npm run test:cluster` (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  // The compiled copy (npm run build) holds a second package.json and the same modules: not for jest.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/\\.dist-build-'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The real stack is shared by all test files; run them one at a time on 2 cores.
  maxWorkers: 1,
  testTimeout: 120_000,
};
