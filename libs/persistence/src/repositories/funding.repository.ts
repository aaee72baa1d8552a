import Decimal from 'decimal.js';
import { DataSource, EntityManager, In } from 'typeorm';
import type { FundingShare } from '@legwork/domain';
import { FundingCursorRecord, PositionFundingRecord } from '../records/funding.records';

/**
 * Funding attributed to positions (issue 16), and the per-(account, symbol) read cursor.
 * Recording is idempotent: a settlement read twice (overlapping reads, a repeated scan) is kept once.
 */
export class FundingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** When each symbol of the account was last read up to (absent: never read). */
  async cursors(accountId: string, symbols: readonly string[]): Promise<Map<string, Date>> {
    if (symbols.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(FundingCursorRecord).findBy({ accountId, symbol: In([...symbols]) });
    return new Map(rows.map((r) => [r.symbol, r.readUntil]));
  }

  /** Records the shares (each once) and moves the symbols' cursors to `readUntil`, in one transaction. */
  async record(accountId: string, shares: readonly FundingShare[], symbols: readonly string[], readUntil: Date, at: Date): Promise<number> {
    if (shares.length === 0) {
      // Only the cursors move: one statement, atomic on its own (no transaction's two extra round trips).
      if (symbols.length > 0) await this.upsertCursors(this.dataSource.manager, accountId, symbols, readUntil);
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
      if (symbols.length > 0) await this.upsertCursors(m, accountId, symbols, readUntil);
      return inserted;
    });
  }

  private async upsertCursors(m: EntityManager, accountId: string, symbols: readonly string[], readUntil: Date): Promise<void> {
    await m.getRepository(FundingCursorRecord).upsert(
      symbols.map((symbol) => ({ accountId, symbol, readUntil })),
      ['accountId', 'symbol'],
    );
  }

  /** Every settlement part of a position, oldest first. */
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
