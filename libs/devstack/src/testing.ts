// Helpers for *.int-spec.ts files. They read what the Jest global setup
// (libs/devstack/src/jest/global-setup.ts) started; run tests with `jest --selectProjects integration`.
//
// Isolation model, so test files can run in parallel workers against one NATS and one PostgreSQL:
// each file gets its own database (cloned from the migrated template) and its own namespace,
// which services use to prefix stream names, consumer names and subjects.
import { randomBytes } from 'node:crypto';
import { createDatabaseFromTemplate, dropDatabase } from './databases';
import { TEST_ENV, testDatabasePrefix } from './test-env';

export interface TestDatabase {
  /** `postgres://…/lw_<run>_<namespace>_<n>`: a fresh copy of the migrated template. */
  url: string;
  /** The database name. */
  name: string;
  /** Drops the database, disconnecting any sessions still open. Idempotent. */
  drop(): Promise<void>;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.length === 0) {
    throw new Error(
      `${name} is not set: integration helpers need the Jest global setup of @legwork/devstack ` +
        `(run with \`npx jest --selectProjects integration\`).`,
    );
  }
  return value;
}

let namespace: string | undefined;
let databasesCreated = 0;

/**
 * A random namespace for this test file (module state is per test file under Jest), e.g.
 * `t3f9a1c`: 't' + 6 lowercase hex characters, valid in NATS subjects and stream names and in
 * SQL identifiers. Same value on every call within one file.
 */
export function testNamespace(): string {
  namespace ??= `t${randomBytes(3).toString('hex')}`;
  return namespace;
}

/** URL of this run's JetStream-enabled NATS server, e.g. `nats://127.0.0.1:40123`. */
export function testNatsUrl(): string {
  return requiredEnv(TEST_ENV.natsUrl);
}

/**
 * Creates a fresh database for the calling test file by cloning the migrated template (tens of
 * ms). Call `drop()` in afterAll; the global teardown drops any that are left.
 *
 * @throws Error outside the integration Jest project, or when PostgreSQL refuses the clone.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requiredEnv(TEST_ENV.adminDatabaseUrl);
  const template = requiredEnv(TEST_ENV.templateDb);
  const runId = requiredEnv(TEST_ENV.runId);
  databasesCreated++;
  const name = `${testDatabasePrefix(runId)}${testNamespace()}_${databasesCreated}`;
  const url = await createDatabaseFromTemplate(adminUrl, template, name);
  let dropped: Promise<void> | undefined;
  return {
    url,
    name,
    drop: () => (dropped ??= dropDatabase(adminUrl, name)),
  };
}
