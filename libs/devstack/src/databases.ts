// Create / clone / drop databases on a PostgreSQL server through an admin connection.
// Names are validated (lowercase identifiers) and always quoted, so they cannot inject SQL.
import { Client } from 'pg';
import { delay } from './internal/run-command';

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DUPLICATE_DATABASE = '42P04';
const OBJECT_IN_USE = '55006';

/**
 * `adminUrl` with its database path replaced by `name` (user, password, host, port and query kept).
 *
 * @example databaseUrl('postgres://postgres@127.0.0.1:5433/postgres', 'lw_x') === 'postgres://postgres@127.0.0.1:5433/lw_x'
 */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates database `name` unless it exists (concurrent callers are safe) and returns its URL.
 *
 * @param adminUrl a URL whose user may CREATE DATABASE (any existing database, e.g. `/postgres`).
 * @param name lowercase identifier: `[a-z_][a-z0-9_]*`, at most 63 characters.
 * @throws Error for an invalid name or when the server refuses (permissions, connection).
 */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  assertDatabaseName(name);
  await withAdminClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount !== null && existing.rowCount > 0) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      if (pgErrorCode(error) !== DUPLICATE_DATABASE) throw error;
    }
  });
  return databaseUrl(adminUrl, name);
}

/**
 * Creates database `name` as a copy of `template` (`CREATE DATABASE name TEMPLATE template`) and
 * returns its URL. A copy of a small migrated schema takes tens of milliseconds. PostgreSQL
 * refuses while any session is connected to `template` (55006); this retries for up to 5 s.
 *
 * @throws Error for invalid names, when `name` already exists (42P04), or when the template stays busy.
 */
export async function createDatabaseFromTemplate(adminUrl: string, template: string, name: string): Promise<string> {
  assertDatabaseName(template);
  assertDatabaseName(name);
  await withAdminClient(adminUrl, async (client) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
        return;
      } catch (error) {
        if (pgErrorCode(error) !== OBJECT_IN_USE || Date.now() > deadline) throw error;
        await delay(100);
      }
    }
  });
  return databaseUrl(adminUrl, name);
}

/**
 * Drops database `name` if it exists, disconnecting its sessions first (`WITH (FORCE)`,
 * PostgreSQL 13+), so leftover pools in a test do not block it. A database marked as template is
 * unmarked first. Resolves when it is gone.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withAdminClient(adminUrl, async (client) => {
    const found = await client.query<{ datistemplate: boolean }>('SELECT datistemplate FROM pg_database WHERE datname = $1', [name]);
    if (found.rows[0]?.datistemplate === true) {
      await client.query(`ALTER DATABASE ${quoteIdentifier(name)} IS_TEMPLATE false`);
    }
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

/**
 * Closes every other session connected to database `name` (e.g. a migration runner that left its
 * pool open), so it can be used as a template. Resolves with the number of sessions ended.
 */
export async function disconnectSessions(adminUrl: string, name: string): Promise<number> {
  assertDatabaseName(name);
  return withAdminClient(adminUrl, async (client) => {
    const result = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return result.rowCount ?? 0;
  });
}

/** Lists databases whose name starts with `prefix` (for cleaning up after a test run). */
export async function listDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  return withAdminClient(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  });
}

async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(
      `invalid database name ${JSON.stringify(name)}: use lowercase letters, digits and _ (max 63, not starting with a digit)`,
    );
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
