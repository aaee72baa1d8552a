import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators' on-demand orphan scans (issue 12): the gateway no longer scans inside the HTTP
 * request. It records the run here and publishes a `ScanOrphans` command in the same transaction
 * (outbox); the orphan monitor runs it and records the report (or why the run could not be made),
 * once; the gateway reads the row. `account_id` is the account asked for, null for every account:
 * no foreign key, an unknown account is reported by the scan itself, as before.
 * `report` is `json`, not `jsonb`: it is answered exactly as the scan wrote it (key order included).
 */
export class OrphanScanRuns1765700000000 implements MigrationInterface {
  name = 'OrphanScanRuns1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orphan_scan_runs (
        id uuid PRIMARY KEY,
        account_id uuid,
        requested_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        report json,
        error text,
        CHECK (report IS NULL OR error IS NULL),
        CHECK ((finished_at IS NULL) = (report IS NULL AND error IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orphan_scan_runs`);
  }
}
