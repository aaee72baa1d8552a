// Order admission rules of Bybit's create-order endpoint for linear market orders
// (docs/v5/order/create-order.mdx, docs/v5/market/instrument.mdx lotSizeFilter), pure.
// Where Bybit's exact retMsg is not documented the text is ours and says so in the README.
import { Dec } from './decimal';
import { BybitError, RetCode, settlementInProgress } from './errors';
import { Instrument } from './instruments';
import { PositionState, Side } from './types';

/** orderLinkId: at most 36 characters of [A-Za-z0-9_-] (create-order.mdx). */
const ORDER_LINK_ID_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;

/**
 * Checks an orderLinkId's shape and that the account never used it.
 *
 * @param orderLinkId "" means "none given" and is always accepted
 * @throws BybitError 10001 for a malformed id, 110072 for one the account used before
 */
export function checkOrderLinkId(orderLinkId: string, used: ReadonlySet<string>): void {
  if (orderLinkId === '') return;
  if (!ORDER_LINK_ID_PATTERN.test(orderLinkId)) {
    throw BybitError.params('orderLinkId invalid, at most 36 characters of [A-Za-z0-9_-]');
  }
  if (used.has(orderLinkId)) throw BybitError.of(RetCode.ORDER_LINK_ID_DUPLICATE);
}

/**
 * Lot-size rules for a market order: qty is a positive multiple of qtyStep within
 * [minOrderQty, maxMktOrderQty].
 *
 * @throws BybitError 10001 (Bybit answers 10001 for qty outside the lot-size filter)
 */
export function checkLotSize(instrument: Instrument, qty: Dec): void {
  if (!qty.isPositive() || qty.isZero()) throw BybitError.params('qty must be greater than 0');
  if (!qty.mod(instrument.qtyStep).isZero()) {
    throw BybitError.params(`qty ${qty.toFixed()} is not a multiple of qtyStep ${instrument.qtyStep.toFixed()}`);
  }
  if (qty.lessThan(instrument.minOrderQty)) {
    throw BybitError.params(`The number of contracts exceeds minimum limit allowed (minOrderQty ${instrument.minOrderQty.toFixed()})`);
  }
  if (qty.greaterThan(instrument.maxMktOrderQty)) {
    throw BybitError.params(
      `The number of contracts exceeds maximum limit allowed (maxMktOrderQty ${instrument.maxMktOrderQty.toFixed()})`,
    );
  }
}

/**
 * Reduce-only: the order must be opposite to an open position; its qty is clipped to the
 * position size (Bybit shrinks a reduce-only order that would overshoot rather than reject it).
 *
 * @returns the qty to execute
 * @throws BybitError 110017 when there is no position or the order is on the position's side
 */
export function applyReduceOnly(position: PositionState | undefined, side: Side, qty: Dec): Dec {
  const size = position?.size;
  if (size === undefined || size.isZero()) throw BybitError.of(RetCode.REDUCE_ONLY_NOT_SATISFIED);
  const positionIsLong = size.isPositive();
  if ((side === 'Buy') === positionIsLong) throw BybitError.of(RetCode.REDUCE_ONLY_NOT_SATISFIED);
  return Dec.min(qty, size.abs());
}

/**
 * Minimum notional: qty × mark ≥ minNotionalValue. Reduce-only orders are exempt so that a
 * small remainder can always be closed (Bybit's documented intent for minNotionalValue).
 *
 * @throws BybitError 110094
 */
export function checkMinNotional(instrument: Instrument, qty: Dec, markPrice: Dec, reduceOnly: boolean): void {
  if (reduceOnly) return;
  if (qty.mul(markPrice).lessThan(instrument.minNotionalValue)) throw BybitError.of(RetCode.NOTIONAL_BELOW_MIN);
}

/**
 * Orders in a symbol whose instruments-info `status` is not Trading (docs/v5/market/instrument.mdx
 * statuses; codes from docs/v5/error.mdx): Settling → 110063 "Settlement in progress! …";
 * Delivering → 110042 (pre-delivery: only reducing orders pass); PreLaunch, Closed and anything
 * else → 110074 "This contract is not live".
 *
 * @param reducing true for a reduce-only or hedge-side closing order
 * @throws BybitError 110063, 110042, 110074
 */
export function checkInstrumentStatus(symbol: string, status: string, reducing: boolean): void {
  if (status === 'Trading') return;
  if (status === 'Settling') throw settlementInProgress(symbol);
  if (status === 'Delivering') {
    if (reducing) return;
    throw BybitError.of(RetCode.PRE_DELIVERY_REDUCE_ONLY);
  }
  throw BybitError.of(RetCode.CONTRACT_NOT_LIVE);
}

/**
 * Margin check: an order that opens exposure must leave available balance ≥ 0 after the fill,
 * where available = wallet balance − Σ initial margin (|size| × entry / leverage) of all positions.
 *
 * @param walletAfter wallet balance after fee and realised PnL of this fill
 * @param initialMarginAfter Σ initial margin of all positions after this fill
 * @param openedSize qty of the fill that opens exposure; 0 for a pure reduction (always allowed)
 * @throws BybitError 110007
 */
export function checkMargin(walletAfter: Dec, initialMarginAfter: Dec, openedSize: Dec): void {
  if (openedSize.isZero()) return;
  if (walletAfter.minus(initialMarginAfter).isNegative()) throw BybitError.of(RetCode.INSUFFICIENT_AVAILABLE_BALANCE);
}
