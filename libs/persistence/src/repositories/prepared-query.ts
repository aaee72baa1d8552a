import type { Pool } from 'pg';
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
  // TypeORM's PostgreSQL driver keeps its node-postgres pool as `master` (no prepared-statement API of its own).
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query({ name, text, values })).rows as T[];
}
