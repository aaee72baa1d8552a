import { Dec, compareText, decimalString, parseUnsigned } from './decimal-input';
import type { TrackedLeg } from './expected-exposure';

/** Unrealised P&L of one leg, USDT, signed decimal string. */
export interface LegPnl {
  legIndex: number;
  symbol: string;
  pnlUsdt: string;
}

export interface OpenedQuantitiesPnl {
  /** Σ of `perLeg`, USDT. Covers only priced legs: incomplete while `missingPrices` is not empty. */
  pnlUsdt: string;
  /** Priced legs only, sorted by legIndex. */
  perLeg: LegPnl[];
  /** Symbols of legs with no mark price, sorted, each once. */
  missingPrices: string[];
}

/**
 * P&L of a position on the quantities Legwork ORIGINALLY opened (seed 000): Σ (mark − entry) ×
 * quantity × (+1 buy / −1 sell). It measures the intended index strategy, so it ignores what the
 * exchange holds now — a user who halved a leg by hand does not halve its P&L here. Pass the legs
 * as recorded when they were filled (`position_components`), not the netted legs given to
 * reconciliation.
 *
 * Values are exact (no rounding); a leg without a mark price is left out of the sum and named in
 * `missingPrices` rather than valued at 0, which would be a made-up number.
 *
 * @param markPrices symbol → mark price, USDT decimal string.
 * @throws DomainError `RECONCILIATION.INVALID_INPUT` for a quantity, entry or mark price that is
 *   not a positive decimal.
 */
export function pnlOnOpenedQuantities(legs: readonly TrackedLeg[], markPrices: ReadonlyMap<string, string>): OpenedQuantitiesPnl {
  return pnlAtMarks(legs, markReader(markPrices));
}

/**
 * {@link pnlOnOpenedQuantities} of several positions at the same mark prices (each mark parsed
 * once: a scan values every position of an account at one set of prices).
 * @returns one result per element of `positions`, in order.
 * @throws DomainError as {@link pnlOnOpenedQuantities}.
 */
export function pnlOnOpenedQuantitiesOfEach(
  positions: readonly (readonly TrackedLeg[])[],
  markPrices: ReadonlyMap<string, string>,
): OpenedQuantitiesPnl[] {
  const marks = markReader(markPrices);
  return positions.map((legs) => pnlAtMarks(legs, marks));
}

/** symbol → parsed mark price (undefined when none), each parsed on first use. */
function markReader(markPrices: ReadonlyMap<string, string>): (symbol: string) => Dec | undefined {
  const parsed = new Map<string, Dec>();
  return (symbol) => {
    const text = markPrices.get(symbol);
    if (text === undefined) return undefined;
    let mark = parsed.get(symbol);
    if (mark === undefined) {
      mark = parseUnsigned(text, `mark price of ${symbol}`, 'RECONCILIATION.INVALID_INPUT', true);
      parsed.set(symbol, mark);
    }
    return mark;
  };
}

function pnlAtMarks(legs: readonly TrackedLeg[], markOf: (symbol: string) => Dec | undefined): OpenedQuantitiesPnl {
  let total = new Dec(0);
  const perLeg: LegPnl[] = [];
  const missing = new Set<string>();
  for (const leg of [...legs].sort((a, b) => a.legIndex - b.legIndex)) {
    const quantity = parseUnsigned(leg.quantity, `quantity of leg ${leg.legIndex}`, 'RECONCILIATION.INVALID_INPUT', true);
    const entry = parseUnsigned(leg.entryPrice, `entry price of leg ${leg.legIndex}`, 'RECONCILIATION.INVALID_INPUT', true);
    const mark = markOf(leg.symbol);
    if (mark === undefined) {
      missing.add(leg.symbol);
      continue;
    }
    const long = mark.minus(entry).times(quantity);
    const pnl = leg.side === 'buy' ? long : long.neg();
    total = total.plus(pnl);
    perLeg.push({ legIndex: leg.legIndex, symbol: leg.symbol, pnlUsdt: decimalString(pnl) });
  }
  return { pnlUsdt: decimalString(total), perLeg, missingPrices: [...missing].sort(compareText) };
}
