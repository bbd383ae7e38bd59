import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'url', 'util', 'stream', 'worker_threads', 'dns', 'tls', 'zlib', 'events', 'process', 'buffer', 'timers', 'module', 'vm', 'async_hooks', 'perf_hooks'];

/** Tests and the programs that drive the app: they may import anything. */
const drivers = ['**/*.test.ts', '**/*.test.tsx', 'scripts/**', 'bench/**', 'e2e/**', 'faults/**'];

// ---------------------------------------------------------------------------------------------
// Temporal's workflow sandbox. `temporal/worker.ts` bundles `temporal/workflows/index.ts`; what it
// reaches is replayed and must be deterministic. `eslint.config.test.ts` bundles it and fails when
// a file in the bundle is not matched below, so a new helper cannot slip past these rules.

/** Workflow-side code: the workflows, the node SDK, every node step (also in `v<N>/` folders) and what steps share. */
const sandboxFiles = [
  'temporal/workflows/**/*.ts',
  'nodes/sdk.ts',
  'nodes/steps.ts',
  'nodes/*/step*.ts',
  'nodes/*/v*/step*.ts',
  'nodes/generated/steps.ts',
  'nodes/shared/**/*.ts',
  // What a type's definition and its zod-free steps share (ports, constants, the menu loop), and a step's own helper.
  'nodes/*/common.ts',
  'nodes/route-to-skill/**/priority.ts',
  'telephony/replies.ts',
];

/**
 * Isomorphic code (canvas, compiler, server) that builds zod schemas: the same determinism rules,
 * since the compiler must give the same program for the same document, but zod is allowed.
 * `nodes/shared/fields.ts` (zod field builders for definitions) belongs here, not with the steps.
 */
const sandboxIsomorphicFiles = ['nodes/registry.ts', 'nodes/*/definition.ts', 'nodes/*/v*/definition.ts', 'nodes/shared/fields.ts', 'workflows/**/*.ts'];

const sandboxImports = [
  { regex: '^@/(env|server|db)(/|$)', message: 'Workflow code is deterministic: no configuration, server or database modules (use an activity).' },
  { regex: '^(drizzle-orm|postgres|@electric-sql/.*)(/|$)', message: 'Workflow code must not touch the database (use an activity).' },
  { regex: '^@temporalio/(client|worker|activity|testing)(/|$)', message: 'Workflow code uses @temporalio/workflow only.' },
  { regex: '^twilio(/|$)', message: 'Workflow code returns plain replies; TwiML is rendered in the route handler.' },
];
const sandboxBuiltins = [...nodeBuiltins, ...nodeBuiltins.map((name) => `node:${name}`)].map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins (use an activity).' }));
const noZodInSteps = { regex: '^zod(/|$)', allowTypeImports: true, message: 'Step code carries no zod schemas (the SDK evaluates the bundle for every workflow); import types only.' };
const noDefinitionsInSteps = {
  regex: '(^|/)(definition|schema|registry|fields|generated/definitions)$',
  allowTypeImports: true,
  message: 'A step imports its definition (and other zod-bearing modules) for types only: the workflow sandbox carries steps, not schemas. Share values through common.ts.',
};

const sandboxRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use ctx.random() (Temporal’s seeded random), not Math.random.' },
    { object: 'Date', property: 'now', message: 'Use ctx.now() / workflowNow() (Temporal’s workflow clock).' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use ctx.now() / workflowNow() (Temporal’s workflow clock), not new Date().' },
    { selector: "CallExpression[callee.name='Date']", message: 'Use ctx.now() / workflowNow() (Temporal’s workflow clock), not Date().' },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({ name, message: 'Use sleep() or condition() from @temporalio/workflow.' })),
    ...['process', 'fetch', 'crypto', 'performance'].map((name) => ({ name, message: 'Workflow code must not touch the process, the network or other non-deterministic APIs (use an activity).' })),
  ],
};

// ---------------------------------------------------------------------------------------------
// Layers: the "Where code lives" table of DESIGN.md, one import rule per folder. Cross-folder
// imports are written `@/folder/...`; a relative import never climbs into a top-level folder.

const topLevel = ['app', 'bench', 'components', 'db', 'e2e', 'env', 'examples', 'faults', 'i18n', 'messages', 'nodes', 'proxy', 'scripts', 'server', 'stories', 'telephony', 'temporal', 'workflows'];
const anyOf = (names) => `(${names.join('|')})(/|$)`;

/**
 * Pure, isomorphic `server/` modules the browser may import (permission and page tables, list
 * filters, the execution path, masking, the TwiML reader). Every other server module is marked
 * `server-only` (eslint.config.test.ts checks it).
 */
export const browserSafeServerModules = [
  'server/analytics/assign',
  'server/analytics/kpis',
  'server/analytics/stats',
  'server/analytics/verdict',
  'server/auth/permissions',
  'server/auth/routes',
  'server/executions/path',
  'server/flows/status',
  'server/flows/template-names',
  'server/privacy/mask',
  'server/routing/qa',
  'server/routing/scripts',
  'server/tags/rules',
  'server/routing/rules',
  'server/simulator/twiml-parse',
];

/**
 * `folder` may import `may` (folders or modules under `@/`), and only types from `types`.
 * Every layer also keeps test helpers out of production code.
 */
function layer(folder, { may = [], types = [], packages = [] }, why) {
  const allowed = [folder, ...may];
  const message = `${why} (DESIGN.md, "Where code lives").`;
  return [
    { regex: `^@/(?!${anyOf([...allowed, ...types])})`, message },
    ...(types.length > 0 ? [{ regex: `^@/(?!${anyOf(allowed)})${anyOf(types)}`, allowTypeImports: true, message: `${message} Type-only imports are fine.` }] : []),
    { regex: `^(\\.\\./)+${anyOf(topLevel)}`, message: 'Import across folders with `@/…`, so the layer rules can see it.' },
    { regex: '^(@/|\\.{1,2}/)(.*/)?(testing|test-helpers)(/|$)', message: 'Test helpers are for tests only.' },
    ...packages.map((group) => ({ regex: `^${anyOf(group.names)}`, message: group.message })),
  ];
}

const databasePackages = { names: ['drizzle-orm', 'postgres', '@electric-sql/.*'], message: 'The database is reached through db/ (and server/ services), not from here.' };

const layers = {
  workflows: layer(
    'workflows',
    { packages: [{ names: ['react', 'react-dom', 'next', 'next-intl', '@temporalio/.*', 'twilio', 'better-auth', ...databasePackages.names], message: 'workflows/ is pure: no React, Next.js, Temporal, Twilio or database.' }] },
    'workflows/ imports nothing app-specific',
  ),
  // A node folder's activities.ts runs on the worker but follows the same rule: it gets what it
  // needs as input through the SDK (ctx.activity), never from db/ or server/, so a node type stays portable.
  nodes: layer('nodes', { may: ['workflows'], packages: [databasePackages, { names: ['@temporalio/client', '@temporalio/worker'], message: 'Nodes talk to Temporal through the SDK.' }] }, 'nodes/ may import workflows/ only'),
  // db/ only for activities: the workflow files under temporal/workflows/ get the sandbox rules below.
  // server/routing: the handoff workflow's activities run the routing engine's atomic statements;
  // server/analytics: the guardrail schedule's activity reads the running experiments;
  // server/tags: a call's end and the nightly schedule run the tag rules.
  temporal: layer(
    'temporal',
    { may: ['workflows', 'nodes', 'db', 'telephony', 'env', 'server/routing', 'server/analytics', 'server/tags'] },
    'temporal/ may import workflows/, nodes/, db/ (activities only), telephony/, server/routing, server/analytics and server/tags',
  ),
  telephony: layer('telephony', { may: ['db', 'env'], types: ['nodes'] }, 'telephony/ may import db/ and types from nodes/'),
  db: layer('db', { may: ['env'], types: ['workflows'] }, 'db/ imports nothing app-specific (types of the JSON it stores aside)'),
  // telephony/: TwiML rendering and signatures for the webhooks; examples/: the built-in templates.
  server: layer(
    'server',
    { may: ['db', 'workflows', 'nodes', 'telephony', 'env', 'examples', 'temporal/client', 'temporal/constants', 'temporal/workflows/api'] },
    'server/ may import db/, workflows/, nodes/, telephony/ and temporal/client, never app/ or components/',
  ),
  app: layer('app', { may: ['server', 'components', 'i18n', 'messages', 'temporal/client'], types: ['db'], packages: [databasePackages] }, 'app/ pages and route handlers call server/ services (and temporal/client), not db/'),
  components: layer(
    'components',
    { may: ['nodes', 'workflows', 'i18n', 'messages', ...browserSafeServerModules], types: ['server', 'temporal/client'], packages: [databasePackages] },
    'components/ run in the browser: nodes/, workflows/, i18n/ and types from server/ (pages pass server data in as props)',
  ),
  stories: layer('stories', { may: ['components', 'nodes', 'workflows', 'examples', 'messages'], types: ['server'] }, 'stories/ render components'),
  i18n: layer('i18n', { may: ['messages'] }, 'i18n/ holds locale configuration only'),
};

const restrict = (patterns, paths = []) => ['error', { paths, patterns }];

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
    ignores: ['env.ts', '**/*.config.*', 'e2e/**', 'bench/**', 'faults/**', 'scripts/**', '**/*.test.ts', '**/*.test.tsx', 'temporal/testing/**', 'db/testing.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from env.ts only.' }],
    },
  },
  ...Object.entries(layers).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
    ignores: drivers,
    rules: { '@typescript-eslint/no-restricted-imports': restrict(patterns) },
  })),
  // The sandbox: its import rules replace the folder's (a later block wins), so they repeat them.
  {
    files: [...sandboxFiles, ...sandboxIsomorphicFiles],
    ignores: drivers,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: sandboxRules,
  },
  {
    files: sandboxIsomorphicFiles.filter((file) => file.startsWith('nodes/')),
    ignores: drivers,
    rules: { '@typescript-eslint/no-restricted-imports': restrict([...layers.nodes, ...sandboxImports], sandboxBuiltins) },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: drivers,
    rules: { '@typescript-eslint/no-restricted-imports': restrict([...layers.workflows, ...sandboxImports], sandboxBuiltins) },
  },
  {
    files: sandboxFiles.filter((file) => file.startsWith('nodes/')),
    ignores: [...drivers, 'nodes/shared/fields.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([...layers.nodes, ...sandboxImports, noZodInSteps, noDefinitionsInSteps], sandboxBuiltins) },
  },
  {
    files: ['telephony/replies.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([...layers.telephony, ...sandboxImports, noZodInSteps], sandboxBuiltins) },
  },
  {
    // Workflow files reach nodes/ (steps, SDK types), workflows/, telephony/replies and their own
    // folder; activities only as types (`proxyActivities<typeof activities>`).
    files: ['temporal/workflows/**/*.ts'],
    ignores: drivers,
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [
          ...layer('temporal/workflows', { may: ['workflows', 'nodes', 'telephony/replies'], types: ['temporal/activities'] }, 'workflow code may import nodes/, workflows/, telephony/replies and activity types'),
          { regex: '^\\.\\./activities(/|$)', allowTypeImports: true, message: 'Workflow files import activities as types only (proxyActivities<typeof activities>).' },
          { regex: '^\\.\\./(?!activities(/|$))', message: 'Workflow code may import its own folder and activity types only.' },
          ...sandboxImports,
          noZodInSteps,
        ],
        sandboxBuiltins,
      ),
    },
  },
);
