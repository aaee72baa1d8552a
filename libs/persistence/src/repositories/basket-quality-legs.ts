import type { QualityLeg } from '@legwork/domain';
import type { OrderRecord, TradeRecord } from '../records/position.records';

/**
 * The open basket's legs as `executionQuality` (libs/domain) reads them: each `open` order's
 * arrival mark price (`planned_mark_price`, read when the basket was planned) and its recorded
 * fills (`trades`: price, quantity, fee in USDT, the exchange's `execTime` as `executed_at`),
 * in leg order. Orders of other purposes (close, rollback, restore) and their fills are left out.
 *
 * Null when the basket has no open order yet, or an open order carries no arrival mark price
 * (every open leg is planned with one; only a hand-made row could lack it): the quality is then
 * unknown, never computed against a made-up price.
 */
export function openBasketQualityLegs(orders: readonly OrderRecord[], trades: readonly TradeRecord[]): QualityLeg[] | null {
  const open = orders.filter((o) => o.purpose === 'open').sort((a, b) => a.attempt - b.attempt || a.legIndex - b.legIndex);
  if (open.length === 0) return null;
  const legs: QualityLeg[] = [];
  for (const order of open) {
    if (order.plannedMarkPrice === null) return null;
    legs.push({
      legIndex: order.legIndex,
      symbol: order.symbol,
      side: order.side,
      arrivalMarkPrice: order.plannedMarkPrice,
      fills: trades
        .filter((t) => t.orderId === order.id)
        .map((t) => ({ price: t.price, quantity: t.quantity, feeUsdt: t.fee, execTimeMs: t.executedAt.getTime() })),
    });
  }
  return legs;
}
