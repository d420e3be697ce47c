// Flat config: type-aware rules everywhere, and a hard import ban in workflows/ because
// workflow code must stay deterministic (it is replayed from history).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['.scratch*/**', 'node_modules/**', '.data/**', '.tools/**', '.test-data/**', 'chaincode/**', 'bench/results/**', 'coverage/**', 'web/static/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // Async functions often implement async interfaces without awaiting anything themselves.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
            name,
            message: 'Workflow code is replayed: no Node built-ins.',
          })),
          patterns: [
            { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'], message: 'Use `import type` for activity types; workflows import only @temporalio/workflow.' },
            { group: ['zod', 'yaml', 'unified', 'remark-*', 'better-sqlite3', 'hono', '*/activities/*', '!*/activities/index.ts'], allowTypeImports: true, message: 'Workflows import only pure plan/expression modules.' },
          ],
        },
      ],
    },
  },
  // Plain JavaScript (the bootstrap that runs before dependencies exist) is not type-checked.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  }
);
