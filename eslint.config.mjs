import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'url', 'util', 'stream', 'worker_threads', 'dns', 'tls', 'zlib', 'events', 'process', 'buffer', 'timers'];

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'storybook-static/**', 'db/migrations/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
    },
  },
  {
    // Temporal workflow code is replayed: it must be deterministic and must not touch I/O.
    files: ['temporal/workflows/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`)].map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins (use an activity).' })),
          patterns: [
            { group: ['@/db', '@/db/*', '**/db/*', 'drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'], message: 'Workflow code must not touch the database (use an activity).' },
            { group: ['twilio', 'twilio/*'], message: 'Workflow code returns plain replies; TwiML is rendered in the route handler.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the step context / Temporal random, not Math.random.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Workflow code must not read the environment.' },
      ],
    },
  },
  {
    // Before hydration (or without JavaScript) a form without a method is submitted as a GET, with
    // every field, passwords included, in the URL, the history and the server log.
    files: ['**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXOpeningElement[name.name='form']:not(:has(JSXAttribute[name.name=/^(method|action)$/]))",
          message: 'Give the form method="post" (or a server action as its action) so it never submits its fields in the URL.',
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: ['env.ts', '**/*.config.*', 'e2e/**', 'bench/**', 'scripts/**', '**/*.test.ts', '**/*.test.tsx', 'temporal/testing/**', 'db/testing.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from env.ts only.' }],
    },
  },
);
