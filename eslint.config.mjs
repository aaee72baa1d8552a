// Lint: typescript-eslint recommended + Nx module boundaries that really constrain.
// type:domain is pure (no framework, driver or venue SDK); infra libs may use the domain;
// apps use domain + infra; the simulator stands alone (it models Bybit, not Legwork);
// devstack (local NATS/PostgreSQL, process supervision) is for *.spec / *.int-spec files and scripts only.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const frameworkImports = ['@nestjs/*', 'typeorm', 'ccxt', '@nats-io/*', 'pg', 'fastify', 'opossum', 'prom-client', 'pino'];

export default [
  { ignores: ['dist/**', 'node_modules/**', '.nx/**', '.legwork/**', 'coverage/**'] },
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
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: frameworkImports },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:infra'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:devstack'] },
            { sourceTag: 'type:sim', onlyDependOnLibsWithTags: ['type:sim'] },
            { sourceTag: 'type:devstack', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:sim', 'type:devstack'] },
          ],
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
    // The operator scan still runs in the gateway until it publishes a scan job (issue 12, item 3).
    ignores: ['apps/gateway/src/http/operator.controller.ts'],
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
