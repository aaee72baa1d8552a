import Decimal from 'decimal.js';
import { ConfirmedFill, ExecutionView, isOrderFill } from '@legwork/exchange';

/**
 * One account's recent order fills from its private stream, by `orderLinkId`, kept `keepMs`
 * after the last one of each order arrived. Pure (the caller gives the time).
 *
 * Why a buffer: a leg's execution can arrive before anything waits for it (the exchange pushes
 * it as the order matches, before the create request's answer is back), and it must not be lost.
 * Why by `execId`: Bybit may send a message twice (and the simulator's `duplicate` fault does); a
 * fill counted twice would make a partial fill look whole. Only `execType=Trade` rows are a fill
 * (`isOrderFill`; a funding settlement is not, issue 16), and only rows with an `orderLinkId`
 * (ours always carry one; a trade placed by hand in the Bybit app carries none).
 */
export class RecentExecutions {
  private readonly byOrderLinkId = new Map<string, { executions: Map<string, ExecutionView>; lastAtMs: number }>();

  constructor(private readonly keepMs: number) {}

  /**
   * Adds a message's executions received at `nowMs` (epoch ms), dropping what is older than `keepMs`.
   * @returns the `orderLinkId`s that gained an execution not seen before
   */
  add(executions: readonly ExecutionView[], nowMs: number): string[] {
    this.prune(nowMs);
    const touched = new Set<string>();
    for (const execution of executions) {
      if (!isOrderFill(execution) || execution.orderLinkId === '') continue;
      const entry = this.byOrderLinkId.get(execution.orderLinkId) ?? { executions: new Map<string, ExecutionView>(), lastAtMs: nowMs };
      entry.lastAtMs = nowMs;
      this.byOrderLinkId.set(execution.orderLinkId, entry);
      if (entry.executions.has(execution.execId)) continue;
      entry.executions.set(execution.execId, execution);
      touched.add(execution.orderLinkId);
    }
    return [...touched];
  }

  /** The fills of one order seen on the stream (each `execId` once), oldest first as received. */
  of(orderLinkId: string): ExecutionView[] {
    return [...(this.byOrderLinkId.get(orderLinkId)?.executions.values() ?? [])];
  }

  /** How many orders have fills kept. */
  get size(): number {
    return this.byOrderLinkId.size;
  }

  private prune(nowMs: number): void {
    for (const [orderLinkId, entry] of this.byOrderLinkId) if (nowMs - entry.lastAtMs > this.keepMs) this.byOrderLinkId.delete(orderLinkId);
  }
}

/**
 * A market order's fill as its stream executions show it, or null while they do not show it
 * whole: the executions (one order, `execQty` summed) must add up exactly to the order's
 * quantity `quantity` (base coin, decimal string) — the same rule `confirmOrderFill` applies to
 * REST executions when the order lags. Less is a partial fill so far (or one the exchange
 * cancelled: REST, which sees the order's final status, decides); more, or fills of two exchange
 * orders, is not ours to explain: null, REST decides. The average price is the executions'
 * volume-weighted price (Bybit's `avgPrice` is the same VWAP, docs/v5/order/open-order.mdx).
 */
export function streamFillOf(quantity: string, executions: readonly ExecutionView[]): ConfirmedFill | null {
  const first = executions[0];
  if (!first || executions.some((e) => e.exchangeOrderId !== first.exchangeOrderId)) return null;
  const executed = executions.reduce((acc, e) => acc.plus(e.quantity), new Decimal(0));
  if (executed.isZero() || !executed.eq(quantity)) return null;
  const notional = executions.reduce((acc, e) => acc.plus(new Decimal(e.price).mul(e.quantity)), new Decimal(0));
  return {
    exchangeOrderId: first.exchangeOrderId,
    filledQuantity: executed.toString(),
    averagePrice: notional.div(executed).toString(),
    fills: [...executions],
  };
}
