// Lint: typescript-eslint recommended + Nx module boundaries that really constrain.
// Rooms and arrows (docs/architecture.md, "Rooms and arrows"): every project has its own tag, and
// ROOMS says which tags it may import and which packages it must not. An import along any other
// arrow fails `@nx/enforce-module-boundaries`; a project whose tag has no row here may import no
// project at all. A new lib: `"tags": ["type:<name>"]` in its project.json, one row here, one
// line in docs/architecture.md.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const frameworkImports = ['@nestjs/*', 'typeorm', 'ccxt', '@nats-io/*', 'pg', 'fastify', 'opossum', 'prom-client', 'pino'];
const database = ['typeorm', 'pg'];
const bus = ['@nats-io/*'];
const venue = ['ccxt'];

/** The libs a service is built from (scanning, devstack and the apps may use them all). */
const SERVICE_LIBS = [
  'type:domain',
  'type:observability',
  'type:exchange',
  'type:messaging',
  'type:outbox',
  'type:persistence',
  'type:exchange-accounts',
];

/** tag -> { may: the tags it may import, banned: external packages it must not import }. */
const ROOMS = {
  // Pure: no framework, driver or venue SDK.
  'type:domain': { may: [], banned: frameworkImports },
  // Logging, metrics, health registry, config helpers.
  'type:observability': { may: ['type:domain'], banned: [...database, ...bus, ...venue] },
  // The venue adapter (ccxt/Bybit): the only room that speaks to the exchange.
  'type:exchange': { may: ['type:domain', 'type:observability'], banned: [...database, ...bus] },
  // Subjects, envelopes and their builders, streams, the consumer: no database.
  'type:messaging': { may: ['type:domain', 'type:observability'], banned: [...database, ...venue] },
  // The transactional outbox: record, writer, repository, relay (publishes through messaging).
  'type:outbox': { may: ['type:domain', 'type:messaging', 'type:observability'], banned: [...bus, ...venue] },
  // Records, repositories, migrations; messages leave only through the outbox it writes in its transactions.
  'type:persistence': { may: ['type:domain', 'type:outbox'], banned: [...bus, ...venue] },
  // Account -> exchange client (an exchange account's sealed key, opened for the venue adapter).
  'type:exchange-accounts': {
    may: ['type:domain', 'type:exchange', 'type:persistence', 'type:observability'],
    banned: [...bus],
  },
  // Shared scan plumbing of the reconciler and the orphan monitor.
  'type:scanning': { may: SERVICE_LIBS },
  // The gateway's API for its clients: the committed OpenAPI document, its generated types, openapi-fetch.
  'type:api-client': { may: [], banned: frameworkImports },
  // Local NATS/PostgreSQL, process supervision, the test harness: for *.spec / *.int-spec files and scripts only.
  'type:devstack': { may: [...SERVICE_LIBS, 'type:scanning', 'type:api-client'] },
  // The services and the CLI: any lib, never another app.
  'type:app': { may: [...SERVICE_LIBS, 'type:scanning', 'type:devstack', 'type:api-client'] },
  // The Bybit simulator stands alone: it models Bybit, not Legwork.
  'type:sim': { may: [] },
};

const depConstraints = Object.entries(ROOMS).map(([sourceTag, { may, banned }]) => ({
  sourceTag,
  onlyDependOnLibsWithTags: may,
  ...(banned ? { bannedExternalImports: banned } : {}),
}));

export default [
  { ignores: ['dist/**', 'node_modules/**', '.nx/**', '.legwork/**', 'coverage/**', 'libs/api-client/src/generated/**'] },
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
  {
    // Production code of apps never imports the test harness.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', 'libs/devstack/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@legwork/devstack'] }] },
  },
  {
    // Gateway use cases say what went wrong (ApplicationError codes); only http/ decides how HTTP answers it.
    files: ['apps/gateway/src/**/*.use-case.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@legwork/devstack'], message: 'production code never imports the test harness' },
            {
              group: ['**/http/*'],
              message: 'a use case throws ApplicationError (errors/); only http/error.filter.ts maps codes to statuses',
            },
          ],
        },
      ],
    },
  },
  {
    // The gateway only accepts and reads: no exchange client, no account secret, no scan in an
    // HTTP request (whatever needs the exchange is a bounded request to the executor). Its own
    // rule name (typescript-eslint's) so it adds to the `no-restricted-imports` blocks above
    // instead of replacing their options for these files.
    files: ['apps/gateway/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@legwork/exchange',
                '@legwork/exchange/*',
                '@legwork/exchange-accounts',
                '@legwork/exchange-accounts/*',
                'ccxt',
                'ccxt/*',
              ],
              message: 'the gateway holds no exchange client or account secret: ask the executor (apps/gateway/src/executor-requests/)',
            },
            {
              group: ['@legwork/scanning', '@legwork/scanning/*'],
              message: 'the gateway runs no scan: scans run in the reconciler and the orphan monitor',
            },
          ],
        },
      ],
    },
  },
];
