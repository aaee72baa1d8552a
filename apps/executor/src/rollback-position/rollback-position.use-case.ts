import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ExchangePort } from '@legwork/exchange';
import { PositionRecord } from '@legwork/persistence';
import { LegExecutor } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutorContext } from '../position-work/executor-context';
import type { Delivery } from '../position-work/position-lease';
import { UnwindBasket } from '../unwind-position/unwind-basket';
import type { RecordedLeg } from '../unwind-position/unwind-spec';

/**
 * RollbackPosition: `ROLLING_BACK` → `ROLLED_BACK`. Unwinds the legs a `FAILED` open basket
 * acquired: its filled open legs, once every open leg the open left unknown is settled by
 * `orderLinkId` (an open order is never (re)sent during a rollback). A leg that cannot be unwound
 * returns the position to `FAILED` with an alert (UnwindBasket, UnwindSettlement).
 */
@Injectable()
export class RollbackPositionUseCase {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly unwind: UnwindBasket,
    private readonly legs: LegExecutor,
  ) {}

  /** @returns the status the position settled in, or why nothing was done (`already_settled`, `duplicate`, `lease_lost`). */
  execute(positionId: string, attempt: number, delivery: Delivery, log: Logger): Promise<string> {
    return this.unwind.execute(
      { kind: 'rollback', held: (position, exchange, legLog) => this.held(position, exchange, legLog) },
      positionId,
      attempt,
      delivery,
      log,
    );
  }

  /**
   * What the position holds: its filled open legs, once the open's unknown legs are settled.
   * @throws TransientExecutionError while an open leg has no trace on the exchange yet (ROLLBACK.OPEN_LEG_UNSETTLED).
   */
  private async held(position: PositionRecord, exchange: ExchangePort, log: Logger): Promise<RecordedLeg[]> {
    const open = await this.ctx.ledger.list(position.id, 'open', 0);
    for (const leg of open.filter((l) => l.status === 'SUBMITTED' || l.status === 'UNCONFIRMED')) {
      // Settle what the open left unknown, but never (re)send an open order during a rollback.
      await this.legs.settle(exchange, leg, this.ctx.settings.verification, log, async () => {
        throw new TransientExecutionError('ROLLBACK.OPEN_LEG_UNSETTLED', `open leg ${leg.orderLinkId} has no trace on the exchange yet`);
      });
    }
    const settled = await this.ctx.ledger.list(position.id, 'open', 0);
    return settled
      .filter((l) => l.status === 'FILLED')
      .map((l) => ({ legIndex: l.legIndex, symbol: l.symbol, side: l.side, quantity: l.filledQuantity }));
  }
}
