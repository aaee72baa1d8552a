// @legwork/devstack: local infrastructure for tests, the demo and chaos tests. Real nats-server
// (JetStream) and PostgreSQL processes on free ports, database cloning, a child-process
// supervisor for the services, and the helpers integration tests use. Never imported by
// production code (enforced in eslint.config.mjs).
export { findFreePort, isTcpReachable, tcpAddressOf } from './ports';
export {
  startNatsServer,
  resolveNatsBinary,
  type LocalNats,
  type StartNatsOptions,
  type NatsRestartOptions,
  type NatsClusterMembership,
} from './nats-server';
export { startNatsCluster, type LocalNatsCluster, type StartNatsClusterOptions } from './nats-cluster';
export {
  startPostgres,
  resolvePostgresBinDir,
  type LocalPostgres,
  type StartPostgresOptions,
  type PostgresRestartOptions,
} from './postgres';
export { ensureDatabase, createDatabaseFromTemplate, dropDatabase, disconnectSessions, listDatabases, databaseUrl } from './databases';
export { spawnService, ServiceStartError, type ServiceProcess, type SpawnServiceOptions, type ExitStatus } from './service-process';
export { eventually, EventuallyTimeoutError, type EventuallyOptions } from './eventually';
export { createTestDatabase, testNatsUrl, testNamespace, type TestDatabase } from './testing';
export { TEST_ENV, TEMPLATE_DATABASE } from './test-env';
export { startLegworkStack, repoRoot, type LegworkStack, type LegworkStackOptions, type LegworkService } from './legwork-stack';
export { seedUser, DEMO_INDEX, type SeededUser, type SeedOptions } from './seed';
export { GatewayClient } from './gateway-client';
export {
  SimControl,
  type SimRequest,
  type SimAccountState,
  type SimBookSettings,
  type SimFundingSettlement,
  type SimMaintenanceWindow,
} from './sim-control';
export { startAlertmanager, type LocalAlertmanager, type AlertmanagerListedAlert } from './alertmanager';
export {
  startPrometheus,
  legworkRuleFiles,
  type LocalPrometheus,
  type StartPrometheusOptions,
  type PrometheusAlert,
  type PrometheusRuleGroup,
} from './prometheus';
export { startTestStack, streamTestEnv, FAST_EXECUTOR_ENV, TEST_ENCRYPTION_KEYS, type TestStack } from './test-stack';
export { SseClient, type SseEvent } from './sse-client';
export { openThroughKilledExecutor } from './killed-executor';
export { seedPositionOwner, createPendingPosition, type PositionOwner } from './schema-fixtures';
