import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { OPEN_BASKET_POLICY } from '@legwork/domain';
import { checkBasketPositions, ExchangePort, positionSlot, signedSize } from '@legwork/exchange';
import type { OutboxMessage } from '@legwork/messaging';
import type { OrderRecord, PositionRecord } from '@legwork/persistence';
import { BasketEnd, BasketRunner } from '../basket-runner/basket-runner';
import { LegExecutor } from '../leg-execution/leg-executor';
import { legClosedByExchangeAlert } from '../leg-execution/leg-closed-alert';
import { ExecutorContext } from '../position-work/executor-context';
import type { Lease } from '../position-work/position-lease';
import { StreamFills } from '../stream-fills/stream-fills';

/** `legs_total{outcome}` of a leg by what the basket's position check found (the per-leg check's labels). */
const LEG_OUTCOME = { visible: 'filled_visible', not_visible: 'filled_not_visible', closed_by_exchange: 'filled_then_closed' } as const;

/** How a sequential basket ended, with the alerts to commit with its end (legs the exchange closed). */
export interface SequentialEnd {
  end: BasketEnd;
  alerts: OutboxMessage[];
}

/**
 * `legging: sequential` (issue 17): the legs one after the other, the next sent as soon as the
 * previous one's fill is confirmed — from the account's private stream's executions while it is
 * up (issue 18, StreamFills), else by its order status and executions over REST; the position-size check
 * runs ONCE for the whole basket at its end — one position-list call per poll — against the sizes
 * recorded before the basket (one position-list call before the first leg). Halts at the first
 * definitively rejected leg and never reverses (seed 000; OPEN_BASKET_POLICY).
 *
 * Exactly once as before: the plan with every `orderLinkId` is in the ledger before this runs;
 * an unknown outcome is settled by `orderLinkId` (BasketRunner, LegExecutor.settle), then
 * confirmed by order status and executions too. "Filled, not visible yet" never means "not
 * filled": a leg the position list does not show by the timeout stays FILLED (its fills are real).
 *
 * The account's locks on every symbol of the basket are held from the sizes read before it to the
 * check at its end, so another basket on the account cannot move a baseline in between (the same
 * guarantee the per-leg lock gave each leg's check).
 *
 * `legs_total{outcome}` counts each filled leg by what the end check found (`filled_visible`,
 * `filled_not_visible`, `filled_then_closed`); a halted basket runs no position check (its FAILED
 * position is reconciled as any other), so its filled legs are not counted there.
 * @throws TransientExecutionError when the exchange cannot answer or a leg's outcome is unknown.
 */
@Injectable()
export class SequentialLegs {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly legs: LegExecutor,
    private readonly baskets: BasketRunner,
    private readonly streamFills: StreamFills,
  ) {}

  /**
   * Holds the account's private stream open for this basket's legs (issue 18: each leg's fill
   * confirmed from its `execution` events, REST the fallback); call it when the basket starts, so
   * the stream connects while the pre-checks run. @returns the release, for when the basket ends.
   */
  followFills(accountId: string): () => void {
    return this.streamFills.acquire(accountId);
  }

  run(position: PositionRecord, planned: OrderRecord[], exchange: ExchangePort, lease: Lease, log: Logger): Promise<SequentialEnd> {
    const symbols = [...new Set(planned.map((l) => l.symbol))];
    return this.ctx.ledger.withSymbolLocks(position.accountId, symbols, async () => {
      // Sizes before the basket, for the legs not yet sent (a sent leg keeps the baseline it was sent with).
      const views = await this.legs.read(() => exchange.positions(symbols), 'position list (sizes before the basket)');
      const sizeBefore = (leg: OrderRecord) =>
        leg.positionSizeBefore ?? signedSize(positionSlot(views, leg.symbol, leg.hedgeSide)).toString();
      const verification = this.ctx.settings.verification;
      const end = await this.baskets.run(
        {
          positionId: position.id,
          purpose: 'open',
          attempt: 0,
          legs: planned,
          policy: OPEN_BASKET_POLICY,
          exchange,
          lease,
          confirmation: 'order',
          send: (leg, legLog) => this.legs.sendConfirmingOrder(exchange, leg, sizeBefore(leg), verification, legLog),
        },
        log,
      );
      if (end.kind === 'halted') return { end, alerts: [] };
      return { end, alerts: await this.checkPositions(end.legs, exchange, log) };
    });
  }

  /** The basket's one position check; observes each leg's position lag; alerts for legs the exchange closed. */
  private async checkPositions(filled: OrderRecord[], exchange: ExchangePort, log: Logger): Promise<OutboxMessage[]> {
    const checks = await checkBasketPositions(
      exchange,
      filled.map((l) => ({
        legIndex: l.legIndex,
        symbol: l.symbol,
        side: l.side,
        hedgeSide: l.hedgeSide,
        filledQuantity: l.filledQuantity,
        sizeBefore: l.positionSizeBefore,
        sentAt: l.submittedAt ?? new Date(),
      })),
      this.ctx.settings.verification,
    );
    for (const check of checks) {
      if (check.outcome === 'visible') this.ctx.metrics.verificationLag.observe({ source: 'position' }, check.lagMs / 1000);
      this.ctx.metrics.legs.inc({ purpose: 'open', outcome: LEG_OUTCOME[check.outcome] });
    }
    log.info(
      { positions: checks.map((c) => ({ legIndex: c.legIndex, outcome: c.outcome, ...('lagMs' in c ? { lagMs: c.lagMs } : {}) })) },
      'basket positions checked',
    );
    return checks.flatMap((check) => {
      const leg = filled.find((l) => l.legIndex === check.legIndex);
      return check.outcome === 'closed_by_exchange' && leg
        ? [
            legClosedByExchangeAlert(
              this.ctx.alerts,
              leg,
              leg.filledQuantity,
              check.closingExecutions.map((e) => e.execId),
            ),
          ]
        : [];
    });
  }
}
