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
  let total = new Dec(0);
  const perLeg: LegPnl[] = [];
  const missing = new Set<string>();
  for (const leg of [...legs].sort((a, b) => a.legIndex - b.legIndex)) {
    const quantity = parseUnsigned(leg.quantity, `quantity of leg ${leg.legIndex}`, 'RECONCILIATION.INVALID_INPUT', true);
    const entry = parseUnsigned(leg.entryPrice, `entry price of leg ${leg.legIndex}`, 'RECONCILIATION.INVALID_INPUT', true);
    const markText = markPrices.get(leg.symbol);
    if (markText === undefined) {
      missing.add(leg.symbol);
      continue;
    }
    const mark = parseUnsigned(markText, `mark price of ${leg.symbol}`, 'RECONCILIATION.INVALID_INPUT', true);
    const direction = leg.side === 'buy' ? 1 : -1;
    const pnl = mark.minus(entry).times(quantity).times(direction);
    total = total.plus(pnl);
    perLeg.push({ legIndex: leg.legIndex, symbol: leg.symbol, pnlUsdt: decimalString(pnl) });
  }
  return { pnlUsdt: decimalString(total), perLeg, missingPrices: [...missing].sort(compareText) };
}
