// Matching of a market order against the mark price, pure: given the account's state and the
// price it computes the fill, or throws the BybitError Bybit would answer. No order book: the
// whole qty fills at once at mark ± slippage (one execution per order).
import { DERIVED_DP, Dec, ZERO, roundToStep } from './decimal';
import { BybitError, SYMBOL_INVALID_MSG, RetCode } from './errors';
import { Instrument, InstrumentCatalogue } from './instruments';
import { totalInitialMargin } from './leverage';
import { applyReduceOnly, checkInstrumentStatus, checkLotSize, checkMargin, checkMinNotional, checkOrderLinkId } from './order-rules';
import { FillOutcome, applyFill, flatPosition } from './position-math';
import { resolveOrderPosition } from './position-modes';
import { PositionIdx, PositionMode, PositionState, Side, positionKey } from './types';

/** Taker fee rate of a Bybit VIP0 account on USDT perpetuals: 0.055 %. */
export const TAKER_FEE_RATE = new Dec('0.00055');

/** Band of the IOC limit price Bybit gives a market order, relative to the mark price: 3 %. */
export const MARKET_PRICE_BAND = new Dec('0.03');

/** A market order as the engine receives it (wire parsing done). */
export interface MarketOrderRequest {
  readonly symbol: string;
  readonly side: Side;
  /** Base-coin qty; 0 only with reduceOnly + closeOnTrigger, meaning "the whole position". */
  readonly qty: Dec;
  readonly reduceOnly: boolean;
  readonly closeOnTrigger: boolean;
  /** "" when the client gave none. */
  readonly orderLinkId: string;
  /** The order's positionIdx; undefined when absent (one-way only). */
  readonly positionIdx?: number;
}

/** What the account looks like to the matcher. */
export interface MatchContext {
  readonly catalogue: InstrumentCatalogue;
  readonly markPrice: (symbol: string) => Dec;
  readonly slippageBps: Dec;
  readonly walletBalance: Dec;
  /** Instrument status in force (instruments-info `status`), which the control API can change. */
  readonly instrumentStatus: (symbol: string) => string;
  readonly positionMode: (symbol: string) => PositionMode;
  /** Leverage of a position's symbol and side. */
  readonly leverage: (position: PositionState) => Dec;
  /** Positions by {@link positionKey}. */
  readonly positions: ReadonlyMap<string, PositionState>;
  readonly usedOrderLinkIds: ReadonlySet<string>;
  readonly now: number;
  readonly seq: number;
}

/** A fill ready to commit. */
export interface MatchResult {
  readonly instrument: Instrument;
  readonly positionIdx: PositionIdx;
  readonly qty: Dec;
  readonly markPrice: Dec;
  readonly fillPrice: Dec;
  /** IOC protection price shown as the order's `price`. */
  readonly orderPrice: Dec;
  readonly execValue: Dec;
  readonly fee: Dec;
  readonly outcome: FillOutcome;
  readonly walletAfter: Dec;
}

/**
 * Validates and fills a market order (docs/v5/order/create-order.mdx).
 *
 * A hedge-side closing order (Sell on 1, Buy on 2) follows the reduce-only rules whatever its
 * reduceOnly flag (see {@link resolveOrderPosition}).
 *
 * @throws BybitError 10001 (unknown symbol, positionIdx not matching the mode, bad orderLinkId,
 *   lot size), 110074/110063/110042 (symbol not Trading), 110072 (duplicate orderLinkId),
 *   110017 (reduce-only), 110094 (min notional), 110007 (margin at the symbol's leverage)
 */
export function matchMarketOrder(request: MarketOrderRequest, context: MatchContext): MatchResult {
  const instrument = context.catalogue.find(request.symbol);
  if (instrument === undefined) throw new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG);
  const target = resolveOrderPosition(context.positionMode(request.symbol), request.positionIdx, request.side);
  const reducing = request.reduceOnly || target.closing;
  checkInstrumentStatus(request.symbol, context.instrumentStatus(request.symbol), reducing);
  checkOrderLinkId(request.orderLinkId, context.usedOrderLinkIds);
  const key = positionKey(request.symbol, target.positionIdx);
  const position = context.positions.get(key);
  const closeWholePosition = request.qty.isZero() && request.reduceOnly && request.closeOnTrigger;
  if (!closeWholePosition) checkLotSize(instrument, request.qty);
  const qty = reducing ? applyReduceOnly(position, request.side, closeWholePosition ? (position?.size.abs() ?? ZERO) : request.qty) : request.qty;

  const markPrice = context.markPrice(request.symbol);
  checkMinNotional(instrument, qty, markPrice, reducing);
  const fillPrice = slippedPrice(instrument, markPrice, request.side, context.slippageBps);
  const execValue = qty.mul(fillPrice);
  const fee = execValue.mul(TAKER_FEE_RATE).toDecimalPlaces(DERIVED_DP);
  const outcome = applyFill(position ?? flatPosition(request.symbol, context.now, target.positionIdx), {
    symbol: request.symbol,
    side: request.side,
    qty,
    price: fillPrice,
    fee,
    time: context.now,
    seq: context.seq,
  });
  const walletAfter = context.walletBalance.plus(outcome.realisedPnl).minus(fee);
  const others = [...context.positions].filter(([otherKey]) => otherKey !== key).map(([, other]) => other);
  checkMargin(walletAfter, totalInitialMargin([outcome.next, ...others], context.leverage), outcome.openedSize);
  return { instrument, positionIdx: target.positionIdx, qty, markPrice, fillPrice, orderPrice: bandPrice(instrument, markPrice, request.side), execValue, fee, outcome, walletAfter };
}

/** Mark price moved against the taker by slippageBps, on the tick grid and inside the price filter. */
export function slippedPrice(instrument: Instrument, markPrice: Dec, side: Side, slippageBps: Dec): Dec {
  const move = markPrice.mul(slippageBps).div(10_000);
  const raw = side === 'Buy' ? markPrice.plus(move) : markPrice.minus(move);
  return clampPrice(instrument, roundToStep(raw, instrument.tickSize));
}

function bandPrice(instrument: Instrument, markPrice: Dec, side: Side): Dec {
  const factor = side === 'Buy' ? new Dec(1).plus(MARKET_PRICE_BAND) : new Dec(1).minus(MARKET_PRICE_BAND);
  return clampPrice(instrument, roundToStep(markPrice.mul(factor), instrument.tickSize));
}

function clampPrice(instrument: Instrument, price: Dec): Dec {
  return Dec.min(instrument.maxPrice, Dec.max(instrument.minPrice, price));
}
