import type { Pool, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs `text` as the named prepared statement `name` (node-postgres's `{ name, text, values }`):
 * PostgreSQL parses and plans it once per pooled connection instead of at every call. For the
 * statements every scan runs for every account: parsing and planning the account view cost
 * PostgreSQL more than running it (bench/RESULTS.md, "prepared statements"). Rows come back as
 * `DataSource.query` gives them (the same pg type parsers). A name always goes with one text.
 * @throws the pg driver's error (not TypeORM's `QueryFailedError`) when the statement fails.
 */
export async function queryPrepared<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  return (await pgPool(dataSource).query({ name, text, values })).rows as T[];
}

/**
 * Runs `statements` (several, `;`-separated, no parameters) in ONE round trip with node-postgres's
 * simple query protocol, which PostgreSQL runs as one implicit transaction: all commit together, or
 * the first error rolls every one back and the connection is left idle (no transaction open).
 * Each statement still takes its own snapshot (READ COMMITTED), so one that follows a lock sees
 * what the lock's previous holder committed.
 * @returns the rows of the last statement
 * @throws the pg driver's error when a statement fails
 */
export async function queryInOneTransaction<T>(dataSource: DataSource, statements: string): Promise<T[]> {
  const results = (await pgPool(dataSource).query(statements)) as unknown as QueryResult | QueryResult[];
  return (Array.isArray(results) ? (results.at(-1)?.rows ?? []) : results.rows) as T[];
}

/** TypeORM's PostgreSQL driver keeps its node-postgres pool as `master` (no prepared-statement API of its own). */
function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
