import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import type { FundingShare } from '@legwork/domain';
import { PositionFundingRecord } from '../records/funding.records';
import { queryPrepared } from './prepared-query';

/**
 * Funding attributed to positions (issue 16), and the per-(account, symbol) read cursor.
 * Recording is idempotent: a settlement read twice (overlapping reads, a repeated scan) is kept once.
 */
export class FundingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The account's funding read state in one round trip: the fingerprint of its position rows at the
   * last full funding read (null when none, or when that read left a symbol out) and each symbol's
   * cursor: when funding of that symbol was last read up to.
   */
  async readState(accountId: string, symbols: readonly string[]): Promise<{ fingerprint: string | null; cursors: Map<string, Date> }> {
    const rows = await queryPrepared<{ fingerprint: string | null; symbol: string | null; readUntil: Date | null }>(
      this.dataSource,
      'legwork_funding_read_state',
      `SELECT m.positions_fingerprint AS fingerprint, c.symbol, c.read_until AS "readUntil"
       FROM (SELECT $1::uuid AS account_id) a
       LEFT JOIN funding_read_marks m ON m.account_id = a.account_id
       LEFT JOIN funding_cursors c ON c.account_id = a.account_id AND c.symbol = ANY($2::text[])`,
      [accountId, [...symbols]],
    );
    return {
      fingerprint: rows[0]?.fingerprint ?? null,
      cursors: new Map(rows.filter((r) => r.symbol !== null && r.readUntil !== null).map((r) => [r.symbol as string, r.readUntil as Date])),
    };
  }

  /**
   * Records the shares (each once), moves the symbols' cursors to `readUntil` and sets the
   * account's read mark to `positionsFingerprint` (null: the next pass must read), in one transaction.
   */
  async record(
    accountId: string,
    shares: readonly FundingShare[],
    symbols: readonly string[],
    readUntil: Date,
    at: Date,
    positionsFingerprint: string | null = null,
  ): Promise<number> {
    if (shares.length === 0) {
      // Only the cursors and the mark move: one statement, atomic on its own (no transaction's two extra round trips).
      await this.upsertCursors(this.dataSource.manager, accountId, symbols, readUntil, positionsFingerprint);
      return 0;
    }
    return this.dataSource.transaction(async (m) => {
      let inserted = 0;
      if (shares.length > 0) {
        const result = await m
          .createQueryBuilder()
          .insert()
          .into(PositionFundingRecord)
          .values(
            shares.map((s) => ({
              positionId: s.positionId,
              execId: s.settlementId,
              accountId,
              symbol: s.symbol,
              side: s.side,
              heldQuantity: s.heldQuantity,
              positionSize: s.positionSize,
              fundingRate: s.fundingRate,
              fundingUsdt: s.fundingUsdt,
              settledAt: s.settledAt,
              recordedAt: at,
            })),
          )
          .orIgnore()
          .returning(['positionId'])
          .execute();
        inserted = (result.raw as unknown[]).length;
      }
      await this.upsertCursors(m, accountId, symbols, readUntil, positionsFingerprint);
      return inserted;
    });
  }

  /** The symbols' cursors and the account's read mark (funding_read_marks), in one statement. */
  private async upsertCursors(
    m: EntityManager,
    accountId: string,
    symbols: readonly string[],
    readUntil: Date,
    positionsFingerprint: string | null,
  ): Promise<void> {
    await m.query(
      `WITH cursors AS (
         INSERT INTO funding_cursors (account_id, symbol, read_until) SELECT $1, unnest($2::text[]), $3
         ON CONFLICT (account_id, symbol) DO UPDATE SET read_until = EXCLUDED.read_until
       )
       INSERT INTO funding_read_marks (account_id, positions_fingerprint, read_until) VALUES ($1, $4, $3)
       ON CONFLICT (account_id) DO UPDATE SET positions_fingerprint = EXCLUDED.positions_fingerprint, read_until = EXCLUDED.read_until`,
      [accountId, [...symbols], readUntil, positionsFingerprint],
    );
  }

  settlements(positionId: string): Promise<PositionFundingRecord[]> {
    return this.dataSource.getRepository(PositionFundingRecord).find({ where: { positionId }, order: { settledAt: 'ASC', execId: 'ASC' } });
  }

  /** Σ funding (USDT, as P&L) per position; positions without funding are absent. */
  async totals(positionIds: readonly string[]): Promise<Map<string, string>> {
    if (positionIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(PositionFundingRecord)
      .createQueryBuilder('f')
      .select('f.position_id', 'positionId')
      .addSelect('SUM(f.funding_usdt)::text', 'fundingUsdt')
      .where('f.position_id IN (:...ids)', { ids: [...positionIds] })
      .groupBy('f.position_id')
      .getRawMany<{ positionId: string; fundingUsdt: string }>();
    return new Map(rows.map((r) => [r.positionId, new Decimal(r.fundingUsdt).toFixed()]));
  }
}
