import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An exchange account's key status: `refused` once the exchange refused its API key (an auth
 * error, e.g. Bybit 10003 invalid key, 10004 bad signature, 10005 permission denied), with when,
 * the code and the exchange's reason. Scans skip such an account until `account:rotate-key`
 * stores a key the exchange accepts, which sets it back to `ok`. A scan run can end `skipped`.
 */
export class AccountKeyStatus1765300000000 implements MigrationInterface {
  name = 'AccountKeyStatus1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE exchange_accounts
        ADD COLUMN key_status text NOT NULL DEFAULT 'ok' CHECK (key_status IN ('ok', 'refused')),
        ADD COLUMN key_refused_at timestamptz,
        ADD COLUMN key_refused_code text,
        ADD COLUMN key_refused_reason text,
        ADD CONSTRAINT exchange_accounts_key_refused_when CHECK ((key_status = 'refused') = (key_refused_at IS NOT NULL));
      ALTER TABLE scan_runs DROP CONSTRAINT scan_runs_status_check;
      ALTER TABLE scan_runs ADD CONSTRAINT scan_runs_status_check CHECK (status IN ('running', 'done', 'failed', 'skipped'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE scan_runs SET status = 'done' WHERE status = 'skipped';
      ALTER TABLE scan_runs DROP CONSTRAINT scan_runs_status_check;
      ALTER TABLE scan_runs ADD CONSTRAINT scan_runs_status_check CHECK (status IN ('running', 'done', 'failed'));
      ALTER TABLE exchange_accounts DROP CONSTRAINT exchange_accounts_key_refused_when,
        DROP COLUMN key_status, DROP COLUMN key_refused_at, DROP COLUMN key_refused_code, DROP COLUMN key_refused_reason;
    `);
  }
}
