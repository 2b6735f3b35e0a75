// ESLint: type-aware rules that make a floating promise (the class of bug that crashed the process once) a lint
// error, and the layer rules of DESIGN §9 (workflows stay deterministic; the REST edge never reaches into
// activities).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.dist-build-*/**',
      'node_modules/**',
      'coverage/**',
      'test/bench/results/**',
      '.data/**',
      'tools/kube/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: never floating, never where a callback's result is ignored, never awaiting a non-promise.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Kubernetes objects and parsed YAML are structural: `any` is allowed where it is honest.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'workflows run in a sandbox without Node built-ins' })),
          patterns: [
            {
              group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
              message: 'Kubernetes calls live in activities/',
            },
            {
              group: ['../src', '../src/**', '../../src/**'],
              message: 'workflows never import the REST adapter or the worker',
            },
            {
              group: ['../activities', '../activities/**'],
              allowTypeImports: true,
              message: "workflows import activities with 'import type' only",
            },
          ],
        },
      ],
    },
  },
  {
    // The REST edge, the configuration and the Temporal client layer never reach into activity code; only the
    // composition roots (src/main.ts, src/worker.ts) wire activities in.
    files: ['src/api/**/*.ts', 'src/config/**/*.ts', 'src/temporal/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../activities', '../../activities/**', '../../../activities/**'],
              message: 'the edge (REST, config, Temporal client layer) never imports activity code',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
