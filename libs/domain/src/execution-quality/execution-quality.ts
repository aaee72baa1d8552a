import type { LegSide } from '../composition/compose-basket';
import { DomainError } from '../errors/domain-error';
import { Dec, decimalString, parseSigned, parseUnsigned } from '../reconciliation/decimal-input';

/** One execution of a leg's order, as the exchange reported it. */
export interface QualityFill {
  /** Fill price, USDT, positive decimal string. */
  price: string;
  /** Filled quantity, base coin, positive decimal string. */
  quantity: string;
  /** Fee paid in USDT (a maker rebate is negative), signed decimal string. */
  feeUsdt: string;
  /** The exchange's execution time (Bybit `execTime`), epoch milliseconds. */
  execTimeMs: number;
}

/** One open leg of a basket: what was decided at planning and what the exchange filled. */
export interface QualityLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  /** The arrival price: the mark price read when the basket was planned, USDT, positive decimal string. */
  arrivalMarkPrice: string;
  /** Every execution of the leg's order; none when it did not fill. */
  fills: readonly QualityFill[];
}

/** A leg's execution quality (decimal strings). */
export interface LegQuality {
  legIndex: number;
  symbol: string;
  side: LegSide;
  arrivalMarkPrice: string;
  /** Σ price × quantity / Σ quantity, rounded to {@link PRICE_DECIMALS}; null without fills. */
  averageFillPrice: string | null;
  /** Σ quantity; "0" without fills. */
  filledQuantity: string;
  /**
   * Against the arrival mark, in basis points, positive = worse for the trader (a buy above the
   * mark, a sell below it): ±(average − mark) / mark × 10 000, rounded to {@link BPS_DECIMALS}
   * from the unrounded average; null without fills.
   */
  slippageBps: string | null;
  /** Σ fees, USDT ("0" without fills). */
  feesUsdt: string;
}

/** A basket's execution quality. */
export interface ExecutionQuality {
  /** In the order given. */
  legs: LegQuality[];
  /**
   * Σ ±(fill price − arrival mark) × quantity / Σ arrival mark × filled quantity, in basis points
   * (the legs' slippage weighted by their filled notional at the arrival mark; fees are not
   * included: they are `feesUsdt`), rounded to {@link BPS_DECIMALS}; null when no leg filled.
   */
  implementationShortfallBps: string | null;
  /** The last fill's execution time minus the first's, across every leg, ms; null without fills. */
  leggingWindowMs: number | null;
}

/** Basis points carry 4 decimals (0.0001 bp): finer than any price step makes meaningful. */
export const BPS_DECIMALS = 4;
/** Average prices carry 10 decimals, the scale of the ledger's NUMERIC price columns. */
export const PRICE_DECIMALS = 10;

const BPS = 10_000;

/**
 * Execution quality of a basket's legs against the prices at decision (implementation shortfall,
 * Perold 1988, without the opportunity cost of unfilled legs: those are shown without a price and
 * left out of the basket's figure). Pure: the caller supplies each leg's arrival mark price
 * (recorded at planning) and the exchange's executions.
 *
 * @throws DomainError `PNL.INVALID_INPUT` when a price or quantity is not a positive decimal, a
 *   fee is not a decimal, or an execution time is not a finite number of milliseconds.
 */
export function executionQuality(legs: readonly QualityLeg[]): ExecutionQuality {
  let costUsdt = new Dec(0); // Σ signed (price − mark) × quantity: positive is a cost
  let arrivalNotional = new Dec(0); // Σ mark × filled quantity
  let first: number | null = null;
  let last: number | null = null;
  const out: LegQuality[] = [];
  for (const leg of legs) {
    const mark = parseUnsigned(leg.arrivalMarkPrice, `arrival mark price of leg ${leg.legIndex}`, 'PNL.INVALID_INPUT', true);
    let quantity = new Dec(0);
    let valueUsdt = new Dec(0);
    let fees = new Dec(0);
    for (const [i, fill] of leg.fills.entries()) {
      const where = `fill ${i} of leg ${leg.legIndex}`;
      const q = parseUnsigned(fill.quantity, `quantity of ${where}`, 'PNL.INVALID_INPUT', true);
      valueUsdt = valueUsdt.plus(parseUnsigned(fill.price, `price of ${where}`, 'PNL.INVALID_INPUT', true).times(q));
      quantity = quantity.plus(q);
      fees = fees.plus(parseSigned(fill.feeUsdt, `fee of ${where}`, 'PNL.INVALID_INPUT'));
      if (!Number.isFinite(fill.execTimeMs)) {
        throw new DomainError('PNL.INVALID_INPUT', `execution time of ${where} is not a time: ${String(fill.execTimeMs)}`, {
          field: `execTimeMs of ${where}`,
          value: String(fill.execTimeMs),
        });
      }
      first = first === null ? fill.execTimeMs : Math.min(first, fill.execTimeMs);
      last = last === null ? fill.execTimeMs : Math.max(last, fill.execTimeMs);
    }
    const base = {
      legIndex: leg.legIndex,
      symbol: leg.symbol,
      side: leg.side,
      arrivalMarkPrice: decimalString(mark),
      filledQuantity: decimalString(quantity),
      feesUsdt: decimalString(fees),
    };
    if (quantity.isZero()) {
      out.push({ ...base, averageFillPrice: null, slippageBps: null });
      continue;
    }
    const notional = mark.times(quantity);
    const signedCost = leg.side === 'buy' ? valueUsdt.minus(notional) : notional.minus(valueUsdt);
    costUsdt = costUsdt.plus(signedCost);
    arrivalNotional = arrivalNotional.plus(notional);
    out.push({
      ...base,
      averageFillPrice: decimalString(valueUsdt.dividedBy(quantity).toDecimalPlaces(PRICE_DECIMALS)),
      slippageBps: bps(signedCost, notional),
    });
  }
  return {
    legs: out,
    implementationShortfallBps: arrivalNotional.isZero() ? null : bps(costUsdt, arrivalNotional),
    leggingWindowMs: first === null || last === null ? null : last - first,
  };
}

function bps(cost: Dec, notional: Dec): string {
  return decimalString(cost.dividedBy(notional).times(BPS).toDecimalPlaces(BPS_DECIMALS));
}
