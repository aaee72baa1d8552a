import { Injectable } from '@nestjs/common';
import { OrderLedgerRepository, PositionRepository, Principal } from '@legwork/persistence';
import { ApiError } from '../http/api-error';
import { positionDetail, positionSummary } from './position-view';

/** Reads a user's own positions; another user's id answers exactly like a missing one (404). */
@Injectable()
export class QueryPositionsUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly ledger: OrderLedgerRepository,
  ) {}

  async list(principal: Principal, limit: number) {
    return (await this.positions.listForUser(principal.userId, limit)).map(positionSummary);
  }

  /** @throws ApiError 404 `POSITION.NOT_FOUND` */
  async get(principal: Principal, id: string) {
    const position = await this.positions.findForUser(principal.userId, id);
    if (!position) throw new ApiError(404, 'POSITION.NOT_FOUND', `position ${id} not found`);
    const [orders, trades, components, history] = await Promise.all([
      this.ledger.list(id),
      this.ledger.trades(id),
      this.positions.components(id),
      this.positions.history(id),
    ]);
    return positionDetail(position, orders, trades, components, history);
  }
}
