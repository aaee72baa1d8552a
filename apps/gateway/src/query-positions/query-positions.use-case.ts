import { Injectable } from '@nestjs/common';
import { acquiredAndMissing } from '@legwork/domain';
import {
  FundingRepository,
  OrderLedgerRepository,
  PositionPageKey,
  PositionRecord,
  PositionRepository,
  Principal,
  ScanRepository,
  TradeRecord,
} from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { MarkPriceCache, MarkPriceRead } from './mark-price-cache';
import { needsMarkPrices, positionPnl } from './position-pnl';
import { positionDetail, positionSummary } from './position-view';
import { executionQualityView } from './execution-quality-view';
import { encodePositionCursor } from './position-cursor';
import type { PositionDetail, PositionPage } from './position.schema';

/**
 * Reads a user's own positions; another user's id answers exactly like a missing one (404).
 * P&L comes with every read: mark prices (public market data, cached briefly) are fetched only
 * when a position on the page may hold legs.
 */
@Injectable()
export class QueryPositionsUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly scans: ScanRepository,
    private readonly markPrices: MarkPriceCache,
    private readonly funding: FundingRepository,
  ) {}

  /** A page of the caller's positions, newest first, after the page `after` ended (null: the first page). */
  async list(principal: Principal, limit: number, after: PositionPageKey | null = null): Promise<PositionPage> {
    const { positions, next } = await this.positions.pageForUser(principal.userId, limit, after);
    const trades = await this.ledger.tradesOf(positions.map((p) => p.id));
    const byPosition = new Map<string, TradeRecord[]>(positions.map((p) => [p.id, []]));
    for (const t of trades) byPosition.get(t.positionId)?.push(t);
    const [marks, funding] = await Promise.all([
      this.marksFor(positions.map((p) => [p, byPosition.get(p.id) ?? []])),
      this.funding.totals(positions.map((p) => p.id)),
    ]);
    return {
      positions: positions.map((p) =>
        positionSummary(p, positionPnl(p.status, byPosition.get(p.id) ?? [], marks, false, { totalUsdt: funding.get(p.id) ?? '0' })),
      ),
      nextCursor: next ? encodePositionCursor(next) : null,
    };
  }

  /** @throws ApplicationError `POSITION.NOT_FOUND` */
  async get(principal: Principal, id: string): Promise<PositionDetail> {
    const position = await this.positions.findForUser(principal.userId, id);
    if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${id} not found`);
    const [orders, trades, components, history, deviations, scanPnl, funding, fundingTotals] = await Promise.all([
      this.ledger.list(id),
      this.ledger.trades(id),
      this.positions.components(id),
      this.positions.history(id),
      this.scans.deviations(id),
      this.scans.pnl(id),
      this.funding.settlements(id),
      this.funding.totals([id]),
    ]);
    const marks = await this.marksFor([[position, trades]]);
    const open = orders.filter((o) => o.purpose === 'open');
    // Which components a basket acquired and which it is missing (seed 000: shown for FAILED positions).
    const composition =
      position.status === 'FAILED' || position.status === 'ROLLING_BACK' || position.status === 'ROLLED_BACK'
        ? acquiredAndMissing(
            open.map((o) => ({ legIndex: o.legIndex, symbol: o.symbol, side: o.side, quantity: o.quantity })),
            open
              .filter((o) => o.status === 'FILLED')
              .map((o) => ({
                legIndex: o.legIndex,
                symbol: o.symbol,
                side: o.side,
                quantity: o.filledQuantity,
                entryPrice: o.averagePrice ?? '0',
              })),
          )
        : null;
    const pnl = positionPnl(position.status, trades, marks, true, { totalUsdt: fundingTotals.get(id) ?? '0', settlements: funding });
    const executionQuality = executionQualityView(orders, trades, position.legging);
    return positionDetail(position, { orders, trades, components, history, deviations, scanPnl, pnl, composition, executionQuality });
  }

  private async marksFor(positions: [PositionRecord, TradeRecord[]][]): Promise<MarkPriceRead | null> {
    return positions.some(([p, trades]) => needsMarkPrices(p.status, trades)) ? this.markPrices.read() : null;
  }
}
