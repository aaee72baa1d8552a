import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: how an open basket's legs are sent, chosen per open request (`legging`), with a
 * default per index. Positions accepted before this migration were all worked one leg after the
 * other: they become `sequential`. An index without a default leaves the choice to the global one.
 */
export class PositionLegging1765900000000 implements MigrationInterface {
  name = 'PositionLegging1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE synthetic_positions ADD COLUMN legging text NOT NULL DEFAULT 'sequential'
        CONSTRAINT synthetic_positions_legging_check CHECK (legging IN ('sequential', 'batch'));
      ALTER TABLE indices ADD COLUMN default_legging text NULL
        CONSTRAINT indices_default_legging_check CHECK (default_legging IN ('sequential', 'batch'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE indices DROP COLUMN default_legging;
      ALTER TABLE synthetic_positions DROP COLUMN legging;
    `);
  }
}
