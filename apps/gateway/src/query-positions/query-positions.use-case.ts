import { Injectable } from '@nestjs/common';
import { acquiredAndMissing } from '@legwork/domain';
import { OrderLedgerRepository, PositionRepository, Principal, ScanRepository } from '@legwork/persistence';
import { ApiError } from '../http/api-error';
import { positionDetail, positionSummary } from './position-view';

/** Reads a user's own positions; another user's id answers exactly like a missing one (404). */
@Injectable()
export class QueryPositionsUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly scans: ScanRepository,
  ) {}

  async list(principal: Principal, limit: number) {
    return (await this.positions.listForUser(principal.userId, limit)).map(positionSummary);
  }

  /** @throws ApiError 404 `POSITION.NOT_FOUND` */
  async get(principal: Principal, id: string) {
    const position = await this.positions.findForUser(principal.userId, id);
    if (!position) throw new ApiError(404, 'POSITION.NOT_FOUND', `position ${id} not found`);
    const [orders, trades, components, history, deviations, pnl] = await Promise.all([
      this.ledger.list(id),
      this.ledger.trades(id),
      this.positions.components(id),
      this.positions.history(id),
      this.scans.deviations(id),
      this.scans.pnl(id),
    ]);
    const open = orders.filter((o) => o.purpose === 'open');
    // Which components a basket acquired and which it is missing (seed 000: shown for FAILED positions).
    const composition =
      position.status === 'FAILED' || position.status === 'ROLLING_BACK' || position.status === 'ROLLED_BACK'
        ? acquiredAndMissing(
            open.map((o) => ({ legIndex: o.legIndex, symbol: o.symbol, side: o.side, quantity: o.quantity })),
            open
              .filter((o) => o.status === 'FILLED')
              .map((o) => ({ legIndex: o.legIndex, symbol: o.symbol, side: o.side, quantity: o.filledQuantity, entryPrice: o.averagePrice ?? '0' })),
          )
        : null;
    return positionDetail(position, { orders, trades, components, history, deviations, pnl, composition });
  }
}
