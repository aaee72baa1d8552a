// Matching of a market order, pure: given the account's state and the liquidity the order meets
// (the book's levels inside the protection price, or one fill at the mark price) it computes the
// executions, or throws the BybitError Bybit would answer. What the liquidity cannot fill is
// cancelled (a market order is an IOC on Bybit); each execution is applied to the position in
// turn, so a walk that closes then opens realises PnL exactly as separate fills would.
import { DERIVED_DP, Dec, ZERO, roundToStep } from './decimal';
import { BybitError, SYMBOL_INVALID_MSG, RetCode } from './errors';
import { Instrument, InstrumentCatalogue } from './instruments';
import { totalInitialMargin } from './leverage';
import { applyReduceOnly, checkInstrumentStatus, checkLotSize, checkMargin, checkMinNotional, checkOrderLinkId } from './order-rules';
import { BookFill } from './order-book';
import { applyFill, flatPosition } from './position-math';
import { resolveOrderPosition } from './position-modes';
import { PositionIdx, PositionMode, PositionState, Side, positionKey } from './types';

/** Taker fee rate of a Bybit VIP0 account on USDT perpetuals: 0.055 %. */
export const TAKER_FEE_RATE = new Dec('0.00055');

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
  /** Who created it; default CreateByUser (the API). The control API's manual trades may say CreateByClosing. */
  readonly createType?: 'CreateByUser' | 'CreateByClosing';
}

/** The liquidity an order meets: its fills, best first, and the protection price shown as its `price`. */
export interface Liquidity {
  readonly fills: readonly BookFill[];
  readonly limitPrice: Dec;
}

/** What the account looks like to the matcher. */
export interface MatchContext {
  readonly catalogue: InstrumentCatalogue;
  readonly markPrice: (symbol: string) => Dec;
  /** The fills a taker order of `qty` gets (book walk or fill at mark). */
  readonly liquidity: (instrument: Instrument, side: Side, qty: Dec, markPrice: Dec) => Liquidity;
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
  /** The cross seq the order's fills give the position (ledger.ts nextCrossSeq). */
  readonly seq: number;
}

/** One execution of a matched order, with the state it leaves behind. */
export interface MatchedExecution {
  readonly price: Dec;
  readonly qty: Dec;
  readonly execValue: Dec;
  readonly fee: Dec;
  readonly closedSize: Dec;
  /** Gross realised PnL of the closed part (USDT). */
  readonly realisedPnl: Dec;
  readonly positionAfter: PositionState;
  readonly walletAfter: Dec;
  /** Order qty not yet filled after this execution. */
  readonly leavesQty: Dec;
}

/** An order ready to commit. */
export interface MatchResult {
  readonly instrument: Instrument;
  readonly positionIdx: PositionIdx;
  /** Order qty (after reduce-only clipping). */
  readonly qty: Dec;
  readonly markPrice: Dec;
  /** IOC protection price shown as the order's `price`. */
  readonly orderPrice: Dec;
  readonly executions: readonly MatchedExecution[];
  readonly cumExecQty: Dec;
  readonly cumExecValue: Dec;
  readonly cumExecFee: Dec;
  /** cumExecValue / cumExecQty (8 dp); undefined without executions. */
  readonly avgPrice: Dec | undefined;
  /** Filled, or Cancelled when the liquidity inside the protection price ran out (enum.mdx). */
  readonly orderStatus: 'Filled' | 'Cancelled';
  readonly positionAfter: PositionState;
  /** Qty of the executions that opened new exposure. */
  readonly openedSize: Dec;
  readonly walletAfter: Dec;
}

/**
 * Applies fills to a position one after the other, each charged the taker fee.
 *
 * @param position the position before the first fill
 * @param walletBalance the wallet before the first fill
 * @param seq the cross seq the position takes with these fills (one value for the whole order)
 * @returns every execution and the order totals
 */
export function executeFills(
  instrument: Instrument,
  position: PositionState,
  side: Side,
  qty: Dec,
  fills: readonly BookFill[],
  walletBalance: Dec,
  time: number,
  seq: number,
): Pick<
  MatchResult,
  'executions' | 'cumExecQty' | 'cumExecValue' | 'cumExecFee' | 'avgPrice' | 'orderStatus' | 'positionAfter' | 'openedSize' | 'walletAfter'
> {
  const executions: MatchedExecution[] = [];
  let current = position;
  let wallet = walletBalance;
  let cumExecQty = ZERO;
  let cumExecValue = ZERO;
  let cumExecFee = ZERO;
  let openedSize = ZERO;
  for (const fill of fills) {
    const execValue = fill.qty.mul(fill.price);
    const fee = execValue.mul(TAKER_FEE_RATE).toDecimalPlaces(DERIVED_DP);
    const outcome = applyFill(current, { symbol: instrument.symbol, side, qty: fill.qty, price: fill.price, fee, time, seq });
    wallet = wallet.plus(outcome.realisedPnl).minus(fee);
    cumExecQty = cumExecQty.plus(fill.qty);
    cumExecValue = cumExecValue.plus(execValue);
    cumExecFee = cumExecFee.plus(fee);
    openedSize = openedSize.plus(outcome.openedSize);
    current = outcome.next;
    executions.push({
      price: fill.price,
      qty: fill.qty,
      execValue,
      fee,
      closedSize: outcome.closedSize,
      realisedPnl: outcome.realisedPnl,
      positionAfter: current,
      walletAfter: wallet,
      leavesQty: qty.minus(cumExecQty),
    });
  }
  return {
    executions,
    cumExecQty,
    cumExecValue,
    cumExecFee,
    avgPrice: cumExecQty.isZero() ? undefined : cumExecValue.div(cumExecQty).toDecimalPlaces(DERIVED_DP),
    orderStatus: cumExecQty.equals(qty) ? 'Filled' : 'Cancelled',
    positionAfter: current,
    openedSize,
    walletAfter: wallet,
  };
}

/**
 * Validates and fills a market order (docs/v5/order/create-order.mdx) with the liquidity the
 * context gives it; what that liquidity cannot fill is cancelled (orderStatus Cancelled).
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
  const qty = reducing
    ? applyReduceOnly(position, request.side, closeWholePosition ? (position?.size.abs() ?? ZERO) : request.qty)
    : request.qty;

  const markPrice = context.markPrice(request.symbol);
  checkMinNotional(instrument, qty, markPrice, reducing);
  const liquidity = context.liquidity(instrument, request.side, qty, markPrice);
  const before = position ?? flatPosition(request.symbol, context.now, target.positionIdx);
  const executed = executeFills(instrument, before, request.side, qty, liquidity.fills, context.walletBalance, context.now, context.seq);
  const others = [...context.positions].filter(([otherKey]) => otherKey !== key).map(([, other]) => other);
  checkMargin(executed.walletAfter, totalInitialMargin([executed.positionAfter, ...others], context.leverage), executed.openedSize);
  return { instrument, positionIdx: target.positionIdx, qty, markPrice, orderPrice: liquidity.limitPrice, ...executed };
}

/** Mark price moved against the taker by slippageBps, on the tick grid and inside the price filter. */
export function slippedPrice(instrument: Instrument, markPrice: Dec, side: Side, slippageBps: Dec): Dec {
  const move = markPrice.mul(slippageBps).div(10_000);
  const raw = side === 'Buy' ? markPrice.plus(move) : markPrice.minus(move);
  const rounded = roundToStep(raw, instrument.tickSize);
  return Dec.min(instrument.maxPrice, Dec.max(instrument.minPrice, rounded));
}
