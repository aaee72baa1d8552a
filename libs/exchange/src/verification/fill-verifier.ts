import Decimal from 'decimal.js';
import type { HedgeSide, LegSide } from '@legwork/domain';
import type { ExchangePort, ExecutionView, OrderView } from '../exchange.port';
import { isOrderFill, positionSlot } from '../exchange.port';
import { signedSize } from '../bybit/bybit-mapping';

export interface FillToVerify {
  symbol: string;
  orderLinkId: string;
  side: LegSide;
  /**
   * Signed position size (long +, short −) of the order's slot just before the order was sent;
   * null when unknown.
   */
  sizeBefore: string | null;
  /** The side of a hedge-mode account the order goes to (its position delta is read there); absent / null = one-way. */
  hedgeSide?: HedgeSide | null;
  /** When the order was sent: executions by the exchange after it on this symbol are examined. */
  sentAt: Date;
}

export interface VerificationSettings {
  /** Give up waiting for a definitive answer after this long (default 10 s). */
  timeoutMs: number;
  /** First poll delay; doubled after each poll up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_VERIFICATION: VerificationSettings = { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 };

/** What the exchange confirmed about one order. Decimal strings. */
export interface ConfirmedFill {
  exchangeOrderId: string;
  filledQuantity: string;
  averagePrice: string;
  fills: ExecutionView[];
}

/** Milliseconds from the start of verification until each source confirmed the fill (null: never). */
export interface SourceLags {
  order: number | null;
  executions: number | null;
  position: number | null;
}

/**
 * The verdict on one order, from three sources (order status, executions, position size delta):
 * - `filled_visible`: filled, and the position moved by the filled quantity;
 * - `filled_not_visible`: order and/or executions confirm the fill but the position has not shown
 *   it by the timeout (exchange lag — the fill is real, the seeds' incident 003);
 * - `filled_then_closed`: filled, and the exchange itself closed the position after (liquidation,
 *   ADL, bust): record the fills, flag it, never send an unwind;
 * - `not_filled`: rejected or cancelled with zero fill;
 * - `unknown`: nothing definitive by the timeout. Never to be read as "not filled".
 */
export type FillVerdict =
  | { outcome: 'filled_visible' | 'filled_not_visible'; fill: ConfirmedFill; lags: SourceLags }
  | { outcome: 'filled_then_closed'; fill: ConfirmedFill; lags: SourceLags; closingExecutions: ExecutionView[] }
  | { outcome: 'not_filled'; reason: string; exchangeOrderId: string; lags: SourceLags }
  | { outcome: 'unknown'; reason: string; lags: SourceLags };

export interface VerifierClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time and `setTimeout` sleeps. */
export const realVerifierClock: VerifierClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/**
 * Polls the three sources with exponential backoff until they agree or `timeoutMs` passes.
 * "Position not found" alone never means "not filled" (seeds 003, 004): only the order's own
 * final state with zero fill does. Read failures are not evidence; polling goes on.
 */
export async function verifyFill(
  exchange: Pick<ExchangePort, 'findOrder' | 'executions' | 'positions'>,
  order: FillToVerify,
  settings: VerificationSettings = DEFAULT_VERIFICATION,
  clock: VerifierClock = realVerifierClock,
): Promise<FillVerdict> {
  const start = clock.now();
  const lags: SourceLags = { order: null, executions: null, position: null };
  let view: OrderView | null = null;
  let executions: ExecutionView[] = [];
  let lastReadError = '';
  let delay = settings.initialDelayMs;

  for (;;) {
    try {
      if (lags.order === null) {
        view = await exchange.findOrder(order.symbol, order.orderLinkId);
        if (view && isFinal(view)) {
          if (new Decimal(view.filledQuantity).isZero()) {
            return {
              outcome: 'not_filled',
              reason: view.rejectReason ?? `order ${view.state} with no fill`,
              exchangeOrderId: view.exchangeOrderId,
              lags,
            };
          }
          lags.order = clock.now() - start;
        }
      }
      if (lags.executions === null) {
        // Only the order's own fills count: a funding settlement is not a fill (issue 16).
        executions = (await exchange.executions(order.symbol, { orderLinkId: order.orderLinkId })).filter(isOrderFill);
        const executed = sum(executions);
        if (executed.gt(0) && (lags.order === null || executed.eq(view?.filledQuantity ?? 0))) lags.executions = clock.now() - start;
      }
      const fill = confirmedFill(view, executions, lags);
      if (fill) {
        if (order.sizeBefore === null) return { outcome: 'filled_not_visible', fill, lags };
        const position = positionSlot(await exchange.positions([order.symbol]), order.symbol, order.hedgeSide ?? null);
        const delta = signedSize(position).minus(order.sizeBefore);
        const expected = new Decimal(fill.filledQuantity).mul(order.side === 'buy' ? 1 : -1);
        if (delta.eq(expected)) {
          lags.position = clock.now() - start;
          if (lags.order !== null && lags.executions !== null) return { outcome: 'filled_visible', fill, lags };
        } else {
          // Funding settled since the order moved no position: never "closed by the exchange".
          const closing = (await exchange.executions(order.symbol, { since: order.sentAt })).filter((e) => e.kind === 'exchange_close');
          if (closing.length > 0) return { outcome: 'filled_then_closed', fill, lags, closingExecutions: closing };
        }
      }
    } catch (error) {
      lastReadError = (error as Error).message;
    }
    if (clock.now() - start + delay > settings.timeoutMs) break;
    await clock.sleep(delay);
    delay = Math.min(delay * 2, settings.maxDelayMs);
  }

  const fill = confirmedFill(view, executions, lags);
  if (fill) return { outcome: 'filled_not_visible', fill, lags };
  return {
    outcome: 'unknown',
    reason: `no definitive answer within ${settings.timeoutMs} ms${lastReadError ? ` (last read error: ${lastReadError})` : ''}`,
    lags,
  };
}

function isFinal(view: OrderView): boolean {
  return view.state !== 'open';
}

function sum(executions: ExecutionView[]): Decimal {
  return executions.reduce((acc, e) => acc.plus(e.quantity), new Decimal(0));
}

/** The fill as best known: quantity from the order when final, else from executions. */
function confirmedFill(view: OrderView | null, executions: ExecutionView[], lags: SourceLags): ConfirmedFill | null {
  if (lags.order === null && lags.executions === null) return null;
  const executed = sum(executions);
  const notional = executions.reduce((acc, e) => acc.plus(new Decimal(e.price).mul(e.quantity)), new Decimal(0));
  const filledQuantity = lags.order !== null && view ? new Decimal(view.filledQuantity) : executed;
  const averagePrice =
    lags.order !== null && view?.averagePrice ? new Decimal(view.averagePrice) : executed.gt(0) ? notional.div(executed) : null;
  if (!averagePrice) return null;
  return {
    exchangeOrderId: view?.exchangeOrderId ?? executions[0]?.exchangeOrderId ?? '',
    filledQuantity: filledQuantity.toString(),
    averagePrice: averagePrice.toString(),
    fills: executions,
  };
}
