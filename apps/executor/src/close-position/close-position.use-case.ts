import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { PositionRecord } from '@legwork/persistence';
import { ExecutorContext } from '../position-work/executor-context';
import type { Delivery } from '../position-work/position-lease';
import { UnwindBasket } from '../unwind-position/unwind-basket';
import type { RecordedLeg } from '../unwind-position/unwind-spec';

/**
 * ClosePosition: `CLOSING` → `CLOSED`. Unwinds what the position holds by its own record, the
 * `position_components` snapshot taken when it became ACTIVE (seed 000): one reduce-only market
 * order per component on the opposite side, for its expected quantity (less if the exchange holds
 * less), never touching what was added by hand. A leg that cannot be closed returns the position
 * to `ACTIVE` with an alert (UnwindBasket, UnwindSettlement).
 */
@Injectable()
export class ClosePositionUseCase {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly unwind: UnwindBasket,
  ) {}

  /** @returns the status the position settled in, or why nothing was done (`already_settled`, `duplicate`, `lease_lost`). */
  execute(positionId: string, attempt: number, delivery: Delivery, log: Logger): Promise<string> {
    return this.unwind.execute({ kind: 'close', held: (position) => this.held(position) }, positionId, attempt, delivery, log);
  }

  /** What the position holds: its `position_components` snapshot. */
  private async held(position: PositionRecord): Promise<RecordedLeg[]> {
    return (await this.ctx.positions.components(position.id)).map((c) => ({
      legIndex: c.legIndex,
      symbol: c.symbol,
      side: c.side,
      quantity: c.expectedQuantity,
    }));
  }
}
