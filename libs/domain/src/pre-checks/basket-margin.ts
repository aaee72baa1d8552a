import Decimal from 'decimal.js';

/**
 * Whole-basket margin pre-check (issue 17): a basket is placed only when the account's available
 * balance covers ALL its legs at 1x — the initial margin of each leg (its notional: at 1x the
 * margin is the notional) plus a fee buffer — so that a basket that cannot be placed whole is
 * refused before leg 1 instead of halting part-way through (seed 000's "insufficient margin"
 * example, which left the first legs held).
 *
 * The fee buffer is `notional × takerFeeRate × 2`: Bybit's order cost for a new position is its
 * initial margin plus the fee to open AND the estimated fee to close it (at the bankruptcy price),
 * both at the taker rate for a market order (docs/v5/account/wallet-balance.mdx; Bybit help
 * "Order Cost"). {@link BASKET_TAKER_FEE_RATE} is Bybit's base-tier (non-VIP) taker rate for USDT
 * perpetuals; a VIP account pays less, so the buffer errs on the safe side.
 *
 * The other whole-basket pre-checks live where their facts are decided: instrument status, lot
 * size, min/max market order quantity and minimum notional in `composeBasket` (it refuses the
 * basket whole, naming every leg), leverage 1x in `decideOneXLeverage`, position mode in
 * `positionModeMismatches`. The executor runs them all before it writes the plan.
 */

/** Bybit's base-tier taker fee rate for USDT perpetuals, 0.055 % (bybit.com/en/help-center fee structure; the simulator's rate too). */
export const BASKET_TAKER_FEE_RATE = '0.00055';

/** The stable code of a basket refused because the account's available balance cannot cover it whole. */
export const INSUFFICIENT_MARGIN = 'EXECUTION.INSUFFICIENT_MARGIN';

/** One leg as planned (estimated notional at the planning mark price, USDT, decimal string). */
export interface MarginLeg {
  legIndex: number;
  symbol: string;
  estimatedNotionalUsdt: string;
}

export interface BasketMarginInput {
  legs: readonly MarginLeg[];
  /** What a new order may use now: the account's available balance, USDT, decimal string (wallet-balance). */
  availableBalanceUsdt: string;
  /** Taker fee rate as a fraction (`"0.00055"`); default {@link BASKET_TAKER_FEE_RATE}. */
  takerFeeRate?: string;
}

/** A leg that would not fit: the basket's cost up to and including it exceeds the available balance. */
export interface MarginRefusal {
  legIndex: number;
  symbol: string;
  /** This leg's cost: notional + its fee buffer, USDT. */
  costUsdt: string;
  /** The cost of legs 0..legIndex, USDT: the balance a sequential basket would need by this leg. */
  cumulativeCostUsdt: string;
}

export interface BasketMarginDecision {
  /** Σ leg notionals (initial margin at 1x), USDT, 8 decimals. */
  initialMarginUsdt: string;
  /** Σ notional × takerFeeRate × 2, USDT, 8 decimals. */
  feeBufferUsdt: string;
  /** initialMargin + feeBuffer, USDT, 8 decimals. */
  requiredUsdt: string;
  availableBalanceUsdt: string;
  /** Legs in basket order from the first that does not fit; empty when the basket fits whole. */
  refused: MarginRefusal[];
}

/**
 * Decides whether the account can carry the whole basket at 1x (see the module comment).
 * @throws Error from decimal.js when a notional, the balance or the rate is not a decimal string
 */
export function decideBasketMargin(input: BasketMarginInput): BasketMarginDecision {
  const rate = new Decimal(input.takerFeeRate ?? BASKET_TAKER_FEE_RATE);
  const available = new Decimal(input.availableBalanceUsdt);
  let margin = new Decimal(0);
  let fees = new Decimal(0);
  const refused: MarginRefusal[] = [];
  for (const leg of input.legs) {
    const notional = new Decimal(leg.estimatedNotionalUsdt).abs();
    const fee = notional.mul(rate).mul(2);
    margin = margin.plus(notional);
    fees = fees.plus(fee);
    const cumulative = margin.plus(fees);
    if (cumulative.gt(available)) {
      refused.push({
        legIndex: leg.legIndex,
        symbol: leg.symbol,
        costUsdt: notional.plus(fee).toFixed(8),
        cumulativeCostUsdt: cumulative.toFixed(8),
      });
    }
  }
  return {
    initialMarginUsdt: margin.toFixed(8),
    feeBufferUsdt: fees.toFixed(8),
    requiredUsdt: margin.plus(fees).toFixed(8),
    availableBalanceUsdt: available.toString(),
    refused,
  };
}

/**
 * The refusal sentence of a decision with refused legs: "the account's available balance
 * (500 USDT) cannot carry the whole basket at 1x: it needs 1001.1 USDT (initial margin 1000 + fee
 * buffer 1.1); legs that would not fit: leg 2 XRPUSDT (cumulative 600.66 USDT), …; no order was sent".
 */
export function basketMarginRefusalReason(decision: BasketMarginDecision): string {
  const plain = (v: string) => new Decimal(v).toDecimalPlaces(2).toFixed();
  const legs = decision.refused.map((r) => `leg ${r.legIndex} ${r.symbol} (cumulative ${plain(r.cumulativeCostUsdt)} USDT)`).join(', ');
  return (
    `the account's available balance (${plain(decision.availableBalanceUsdt)} USDT) cannot carry the whole basket at 1x: ` +
    `it needs ${plain(decision.requiredUsdt)} USDT (initial margin ${plain(decision.initialMarginUsdt)} + fee buffer ${plain(decision.feeBufferUsdt)}); ` +
    `legs that would not fit: ${legs}; no order was sent`
  );
}
