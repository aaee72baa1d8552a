import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: operators list every user's alerts newest first, page by page ((occurred_at, id)
 * keyset), and the alert dispatcher finds the newest alert of a kind per subject: one index for
 * the operator's list, one by kind.
 */
export class AlertsByTime1766200000000 implements MigrationInterface {
  name = 'AlertsByTime1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX alerts_occurred ON alerts (occurred_at DESC, id DESC);
      CREATE INDEX alerts_kind ON alerts (kind, occurred_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX alerts_kind;
      DROP INDEX alerts_occurred;
    `);
  }
}
