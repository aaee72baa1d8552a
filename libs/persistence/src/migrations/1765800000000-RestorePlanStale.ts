import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A restore plan can end `stale`: confirmed, then found by the executor, under the position's
 * lease before its first trade, to no longer match the exchange (see the domain's restore-plan
 * status table). Never executed, like `refused`, but decided after the confirmation.
 */
export class RestorePlanStale1765800000000 implements MigrationInterface {
  name = 'RestorePlanStale1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE restore_plans DROP CONSTRAINT restore_plans_status_check;
      ALTER TABLE restore_plans ADD CONSTRAINT restore_plans_status_check CHECK (status IN ('proposed', 'executing', 'executed', 'refused', 'stale'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE restore_plans SET status = 'refused' WHERE status = 'stale';
      ALTER TABLE restore_plans DROP CONSTRAINT restore_plans_status_check;
      ALTER TABLE restore_plans ADD CONSTRAINT restore_plans_status_check CHECK (status IN ('proposed', 'executing', 'executed', 'refused'));
    `);
  }
}
