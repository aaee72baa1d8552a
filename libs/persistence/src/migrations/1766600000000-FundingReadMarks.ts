import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the reconciliation pass reads an account's funding executions only when a funding
 * settlement can have happened since the last read. A settlement changes the realised P&L of the
 * position that paid or received it (Bybit counts funding fees in realised P&L), so the pass keeps,
 * per account, a fingerprint of the exchange's position rows (symbol, side, size, cumulative
 * realised P&L) as they were when funding was last read in full; the same rows again mean nothing
 * was settled since. NULL: the last read left a symbol out (in grace), so the next pass reads.
 */
export class FundingReadMarks1766600000000 implements MigrationInterface {
  name = 'FundingReadMarks1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE funding_read_marks (
        account_id uuid PRIMARY KEY REFERENCES exchange_accounts(id),
        positions_fingerprint text,
        read_until timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE funding_read_marks`);
  }
}
