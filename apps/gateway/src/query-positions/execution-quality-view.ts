import { executionQuality, Legging } from '@legwork/domain';
import { openBasketQualityLegs, OrderRecord, TradeRecord } from '@legwork/persistence';

/**
 * A position's execution quality as `GET /api/positions/:id` shows it (docs/api.md): each open
 * leg against its arrival mark price (the mark read when the basket was planned), the basket's
 * implementation shortfall and legging window, and the legging mode the legs were sent in.
 * Decimal strings; basis points positive when worse for the trader. Null until an open leg has
 * filled (a pending basket, or one refused by its pre-checks, has nothing to measure).
 * @throws DomainError `PNL.INVALID_INPUT` when a recorded price or quantity is not a decimal (never from NUMERIC columns).
 */
export function executionQualityView(orders: readonly OrderRecord[], trades: readonly TradeRecord[], legging: Legging) {
  const legs = openBasketQualityLegs(orders, trades);
  if (!legs || !legs.some((l) => l.fills.length > 0)) return null;
  const quality = executionQuality(legs);
  return {
    legs: quality.legs.map((l) => ({
      legIndex: l.legIndex,
      symbol: l.symbol,
      side: l.side,
      arrivalMarkPrice: l.arrivalMarkPrice,
      averageFillPrice: l.averageFillPrice,
      filledQuantity: l.filledQuantity,
      slippageBps: l.slippageBps,
      feesUsdt: l.feesUsdt,
    })),
    implementationShortfallBps: quality.implementationShortfallBps,
    leggingWindowMs: quality.leggingWindowMs,
    legging,
  };
}
