// Three projects: `unit` (*.spec.ts: pure code, no I/O), `integration` (*.int-spec.ts: real
// NATS JetStream, real PostgreSQL with the real migrations, ccxt over HTTP to the simulator) and
// `chaos` (*.chaos-spec.ts: the soak with faults, which starts and restarts its own NATS and
// PostgreSQL; run alone by `npm run test:chaos`, after the others in `npm test`).
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');
const swc = ['@swc/jest', JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'))];
const common = {
  // ccxt (CJS) requires @noble/* and @scure/*, which are ESM-only: Node >= 20.19 loads them
  // natively, Jest on Node 20 cannot, so swc compiles them to CommonJS for tests.
  transform: { '^.+\\.ts$': swc, '/node_modules/(@noble|@scure)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure)/)'],
  moduleNameMapper: pathsToModuleNameMapper(),
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/devstack/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/devstack/src/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/devstack/src/jest/integration-timeout.ts'],
    },
    { ...common, displayName: 'chaos', testMatch: ['**/*.chaos-spec.ts'] },
  ],
};
