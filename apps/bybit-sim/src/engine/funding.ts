// Funding of the perpetuals, pure: the 8-hour settlement marks, the fee one position pays or
// receives at a mark, and the rate of each symbol. A settlement moves money only: it never
// changes a position's size or any order (the reason it must never be read as a fill).
import { DERIVED_DP, Dec } from './decimal';
import { InstrumentCatalogue } from './instruments';
import { PositionState, Side } from './types';

/** Funding settles every 8 hours (instruments-info `fundingInterval` 480 min) at 00:00, 08:00, 16:00 UTC. */
export const FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;

/** The rate every symbol starts at: 0.01 % per interval, Bybit's usual baseline rate. */
export const DEFAULT_FUNDING_RATE = new Dec('0.0001');

/** The settlement marks m with afterMs < m ≤ untilMs, oldest first (epoch ms, UTC). */
export function fundingMarksBetween(afterMs: number, untilMs: number): number[] {
  const marks: number[] = [];
  for (let mark = (Math.floor(afterMs / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS; mark <= untilMs; mark += FUNDING_INTERVAL_MS)
    marks.push(mark);
  return marks;
}

/** The last settlement mark at or before `timeMs`. */
export function fundingMarkAtOrBefore(timeMs: number): number {
  return Math.floor(timeMs / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
}

/** The next settlement mark strictly after `timeMs` (the ticker's `nextFundingTime`). */
export function nextFundingMark(timeMs: number): number {
  return fundingMarkAtOrBefore(timeMs) + FUNDING_INTERVAL_MS;
}

/** What one position pays or receives at one settlement. */
export interface FundingSettlement {
  readonly time: number;
  readonly rate: Dec;
  readonly markPrice: Dec;
  /** |size| × mark (USDT). */
  readonly positionValue: Dec;
  /** > 0 paid by the position's holder, < 0 received (Bybit's execFee sign), 8 dp. */
  readonly fee: Dec;
  /**
   * `side` of the Funding execution row: the side opposite to the position. Inferred, not
   * documented: Bybit's own Funding example (docs/v5/pre-upgrade/execution.mdx: side Sell,
   * feeRate 0.00203714, execFee +0.6364003) and ccxt's recorded one (bybit.js parseIncome:
   * side Sell, feeRate −0.000761, execFee −0.10232512) are both only consistent with a long
   * position, which pays at a positive rate.
   */
  readonly executionSide: Side;
  /** Bybit's funding orderId shape from the same example: "<mark s>-<symbol>-<uid>-<side>". */
  readonly orderId: string;
}

/**
 * The funding of a non-flat position at a mark: longs pay shorts when the rate is positive,
 * shorts pay longs when it is negative; fee = |size| × mark × rate × (long ? 1 : −1).
 *
 * @throws Error for a flat position (nothing to settle)
 */
export function fundingSettlement(position: PositionState, markPrice: Dec, rate: Dec, time: number, userId: number): FundingSettlement {
  if (position.size.isZero()) throw new Error(`${position.symbol}: a flat position has no funding`);
  const long = position.size.isPositive();
  const positionValue = position.size.abs().mul(markPrice);
  const fee = positionValue
    .mul(rate)
    .mul(long ? 1 : -1)
    .toDecimalPlaces(DERIVED_DP);
  const executionSide: Side = long ? 'Sell' : 'Buy';
  return {
    time,
    rate,
    markPrice,
    positionValue,
    fee,
    executionSide,
    orderId: `${Math.floor(time / 1000)}-${position.symbol}-${userId}-${executionSide}`,
  };
}

/** The funding rate of every symbol, settable through the control API. */
export class FundingRates {
  private readonly rates = new Map<string, Dec>();

  constructor(private readonly catalogue: InstrumentCatalogue) {}

  /** @throws Error for a symbol outside the catalogue */
  rate(symbol: string): Dec {
    this.catalogue.get(symbol);
    return this.rates.get(symbol) ?? DEFAULT_FUNDING_RATE;
  }

  /** @throws Error for a symbol outside the catalogue */
  set(symbol: string, rate: Dec): void {
    this.catalogue.get(symbol);
    this.rates.set(symbol, rate);
  }

  /** Every symbol's rate. */
  all(): Map<string, Dec> {
    return new Map(this.catalogue.symbols().map((symbol) => [symbol, this.rate(symbol)]));
  }

  reset(): void {
    this.rates.clear();
  }
}
