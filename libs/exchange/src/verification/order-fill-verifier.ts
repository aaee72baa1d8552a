import Decimal from 'decimal.js';
import type { ExchangePort, ExecutionView, OrderView } from '../exchange.port';
import { isOrderFill } from '../exchange.port';
import type { ConfirmedFill, SourceLags, VerificationSettings, VerifierClock } from './fill-verifier';
import { realVerifierClock } from './fill-verifier';
import { pollWithBackoff } from './polling';

/** One sent order whose fill is confirmed by the order itself (its status, its executions). */
export interface OrderToConfirm {
  symbol: string;
  orderLinkId: string;
  /** The planned quantity (base coin, decimal string): executions summing to it confirm the fill when the order lags. */
  quantity: string;
}

/**
 * The verdict on one order from its own sources only — order status and executions — for a
 * basket whose position-size check is deferred to its end (issue 17, `sequential` legging):
 * - `filled`: the order is final with a fill and its executions add up to it, or (the order not
 *   yet listed) its executions add up to the planned quantity; at the timeout, a fill either
 *   source showed. `lags.position` is null: the position is checked once for the whole basket;
 * - `not_filled`: the order is final (rejected, cancelled) with zero fill;
 * - `unknown`: nothing definitive by the timeout. Never to be read as "not filled".
 */
export type OrderFillVerdict =
  | { outcome: 'filled'; fill: ConfirmedFill; lags: SourceLags }
  | { outcome: 'not_filled'; reason: string; exchangeOrderId: string; lags: SourceLags }
  | { outcome: 'unknown'; reason: string; lags: SourceLags };

/**
 * Polls the order (by `orderLinkId`) and its executions with exponential backoff until its fill
 * is confirmed or `timeoutMs` passes ({@link pollWithBackoff}). Read failures are not evidence.
 * A funding settlement is not a fill of the order (issue 16): only `isOrderFill` executions count.
 */
export async function confirmOrderFill(
  exchange: Pick<ExchangePort, 'findOrder' | 'executions'>,
  order: OrderToConfirm,
  settings: VerificationSettings,
  clock: VerifierClock = realVerifierClock,
): Promise<OrderFillVerdict> {
  const start = clock.now();
  const lags: SourceLags = { order: null, executions: null, position: null };
  const seen: { view: OrderView | null; executions: ExecutionView[] } = { view: null, executions: [] };
  const { value, lastReadError } = await pollWithBackoff<OrderFillVerdict>(settings, clock, async () => {
    const view = await exchange.findOrder(order.symbol, order.orderLinkId);
    seen.view = view;
    const final = view !== null && view.state !== 'open' ? view : null;
    if (final && new Decimal(final.filledQuantity).isZero()) {
      return {
        outcome: 'not_filled',
        reason: final.rejectReason ?? `order ${final.state} with no fill`,
        exchangeOrderId: final.exchangeOrderId,
        lags,
      };
    }
    if (final && lags.order === null) lags.order = clock.now() - start;
    seen.executions = (await exchange.executions(order.symbol, { orderLinkId: order.orderLinkId })).filter(isOrderFill);
    const executed = sum(seen.executions);
    const target = new Decimal(final ? final.filledQuantity : order.quantity);
    const fill = executed.gt(0) && executed.eq(target) ? fillOf(final, seen.executions) : null;
    if (!fill) return null;
    lags.executions = clock.now() - start;
    return { outcome: 'filled', fill, lags };
  });
  if (value) return value;
  const known = fillOf(seen.view !== null && seen.view.state !== 'open' ? seen.view : null, seen.executions);
  if (known) return { outcome: 'filled', fill: known, lags };
  return {
    outcome: 'unknown',
    reason: `no definitive answer within ${settings.timeoutMs} ms${lastReadError ? ` (last read error: ${lastReadError})` : ''}`,
    lags,
  };
}

function sum(executions: ExecutionView[]): Decimal {
  return executions.reduce((acc, e) => acc.plus(e.quantity), new Decimal(0));
}

/** Quantity and average price from the final order when known, else from the executions; null with no price (nothing filled seen). */
function fillOf(final: OrderView | null, executions: ExecutionView[]): ConfirmedFill | null {
  const executed = sum(executions);
  const notional = executions.reduce((acc, e) => acc.plus(new Decimal(e.price).mul(e.quantity)), new Decimal(0));
  const averagePrice = final?.averagePrice ? new Decimal(final.averagePrice) : executed.gt(0) ? notional.div(executed) : null;
  if (!averagePrice) return null;
  return {
    exchangeOrderId: final?.exchangeOrderId ?? executions[0]?.exchangeOrderId ?? '',
    filledQuantity: (final ? new Decimal(final.filledQuantity) : executed).toString(),
    averagePrice: averagePrice.toString(),
    fills: executions,
  };
}
