// Two projects: `unit` (*.spec.ts: pure code, no I/O) and `integration` (*.int-spec.ts: real
// NATS JetStream, real PostgreSQL with the real migrations, ccxt over HTTP to the simulator).
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');
const swc = ['@swc/jest', JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'))];
const common = {
  transform: { '^.+\\.ts$': swc },
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
  ],
};
