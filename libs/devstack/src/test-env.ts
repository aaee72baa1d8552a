// Environment variables through which the Jest global setup (main process) hands the shared
// infrastructure to the test workers (child processes, forked after global setup ran).

export const TEST_ENV = {
  /** URL of the JetStream-enabled NATS server for this test run. */
  natsUrl: 'LEGWORK_TEST_NATS_URL',
  /** URL of a database on the test PostgreSQL server whose user may CREATE DATABASE. */
  adminDatabaseUrl: 'LEGWORK_TEST_ADMIN_DATABASE_URL',
  /** Name of the migrated template database that test databases are cloned from. */
  templateDb: 'LEGWORK_TEST_TEMPLATE_DB',
  /** Short id of this test run; test database names start with `lw_<runId>_`. */
  runId: 'LEGWORK_TEST_RUN_ID',
} as const;

/** Name of the migrated template database. */
export const TEMPLATE_DATABASE = 'legwork_template';

/** Prefix of every database created by createTestDatabase() in run `runId`. */
export function testDatabasePrefix(runId: string): string {
  return `lw_${runId}_`;
}
