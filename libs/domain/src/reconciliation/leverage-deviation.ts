import { BASKET_LEVERAGE, isOneX } from '../leverage/one-x-leverage';
import { compareText, Dec, decimalString } from './decimal-input';
import type { TrackedPosition } from './expected-exposure';

/**
 * A symbol's leverage as the exchange's position list reports it (Bybit: `leverage` on every row).
 * `size` absolute, base coin; `leverage` null when the row does not carry one.
 */
export interface LeverageReport {
  symbol: string;
  side: 'long' | 'short' | 'flat';
  size: string;
  leverage: string | null;
}

/**
 * A position's symbol held at another leverage than the 1x it was opened at (seed 001). Not a
 * quantity Δ: the size may be exactly right while the margin and the liquidation price are not.
 */
export interface LeverageDeviation {
  positionId: string;
  symbol: string;
  /** Always 1x: every leg is opened at 1x. */
  expectedLeverage: string;
  actualLeverage: string;
  /** `ETHUSDT: leverage expected 1x, actual 5x`. */
  explanation: string;
}

/**
 * The symbols of tracked positions that the exchange holds at another leverage than 1x (someone
 * changed it by hand, or another tool did): one deviation per (position, symbol), sorted by
 * position id then symbol. A flat symbol has no margin at stake (its quantity deviation, if any,
 * says the rest); a row without a leverage says nothing. Copies of one symbol that disagree flag
 * it when any copy is not 1x (the highest is reported). Does not depend on input order.
 */
export function leverageDeviations(positions: readonly TrackedPosition[], reports: readonly LeverageReport[]): LeverageDeviation[] {
  const actual = new Map<string, Dec>();
  for (const r of reports) {
    if (r.side === 'flat' || new Dec(r.size).isZero() || r.leverage === null || r.leverage === '' || isOneX(r.leverage)) continue;
    const leverage = new Dec(r.leverage);
    const seen = actual.get(r.symbol);
    if (!seen || leverage.gt(seen)) actual.set(r.symbol, leverage);
  }
  const deviations: LeverageDeviation[] = [];
  for (const position of [...positions].sort((a, b) => compareText(a.positionId, b.positionId))) {
    const symbols = [...new Set(position.legs.map((l) => l.symbol))].sort(compareText);
    for (const symbol of symbols) {
      const leverage = actual.get(symbol);
      if (!leverage) continue;
      const shown = decimalString(leverage);
      deviations.push({
        positionId: position.positionId,
        symbol,
        expectedLeverage: BASKET_LEVERAGE,
        actualLeverage: shown,
        explanation: `${symbol}: leverage expected ${BASKET_LEVERAGE}x, actual ${shown}x`,
      });
    }
  }
  return deviations;
}
