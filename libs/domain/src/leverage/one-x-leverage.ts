import Decimal from 'decimal.js';

/**
 * Every leg of a basket is "a 1x leverage market order" (seed 001). On the exchange the leverage
 * is not part of the order: a symbol keeps the leverage last set on the account (by hand in the
 * app, by another tool), often 10x or more. Placed as is, a "1x index" would take a tenth of the
 * margin and sit much closer to liquidation. So before the first leg, each symbol of the basket is
 * set to 1x — unless the account already holds a position in it at another leverage: that
 * position belongs to someone (a manual trade, another tool, or one of ours changed by hand), and
 * changing the symbol's leverage changes that position's margin and liquidation price. Legwork
 * does not change the risk of what it does not own: the basket is refused whole, before any order.
 *
 * Invariant: a symbol is either already at 1x, set to 1x, or named in the refusal — never skipped.
 */

/** The stable code of a basket refused because a symbol cannot be traded at 1x. */
export const LEVERAGE_NOT_1X = 'EXECUTION.LEVERAGE_NOT_1X';

/** The leverage every leg is traded at. */
export const BASKET_LEVERAGE = '1';

/** One symbol of the account as the exchange reports it before the basket. */
export interface SymbolLeverageState {
  symbol: string;
  /** The symbol's leverage (`"10"`), null when the exchange did not say. */
  leverage: string | null;
  /** Absolute position size, base coin, decimal string ("0" when flat). */
  size: string;
}

/** Why one symbol cannot be traded at 1x. */
export type LeverageRefusal =
  /** The account holds a position in the symbol at another leverage. */
  | { symbol: string; kind: 'held'; leverage: string | null; size: string }
  /** The exchange refused to set 1x (its code and message in `detail`). */
  | { symbol: string; kind: 'exchange_refused'; detail: string }
  /** Set to 1x, but the exchange still reports another leverage. */
  | { symbol: string; kind: 'read_back'; leverage: string | null };

export interface LeverageDecision {
  /** Symbols to set to 1x, in the order given. */
  toSet: string[];
  /** Symbols that refuse the basket; empty when it may go on. */
  refused: LeverageRefusal[];
}

/** True when `leverage` is 1x ("1", "1.0"); false for null or anything else. */
export function isOneX(leverage: string | null): boolean {
  return leverage !== null && leverage !== '' && new Decimal(leverage).eq(BASKET_LEVERAGE);
}

/**
 * Which symbols of a basket to set to 1x and which refuse it (seed 001: every leg at 1x).
 * At 1x already: nothing to do. Flat at any other (or unknown) leverage: set it. Held (size > 0)
 * at another or unknown leverage: refused — changing it would change a position Legwork does not
 * own. A symbol may come in several rows (two legs; hedge mode lists both sides): it is decided
 * once, held when any row is held, at 1x only when every row is, by its first row not at 1x.
 * @throws Error from decimal.js for a size or leverage that is not a decimal string
 */
export function decideOneXLeverage(states: readonly SymbolLeverageState[]): LeverageDecision {
  const toSet: string[] = [];
  const refused: LeverageRefusal[] = [];
  for (const [symbol, rows] of groupBySymbol(states)) {
    const off = rows.find((r) => !isOneX(r.leverage));
    if (!off) continue;
    const held = rows.find((r) => !new Decimal(r.size).isZero());
    if (!held) toSet.push(symbol);
    else refused.push({ symbol, kind: 'held', leverage: off.leverage, size: held.size });
  }
  return { toSet, refused };
}

function groupBySymbol(states: readonly SymbolLeverageState[]): Map<string, SymbolLeverageState[]> {
  const bySymbol = new Map<string, SymbolLeverageState[]>();
  for (const s of states) bySymbol.set(s.symbol, [...(bySymbol.get(s.symbol) ?? []), s]);
  return bySymbol;
}

/** Symbols set to 1x that the exchange, read back, still reports at another leverage (one per symbol). */
export function oneXReadBackRefusals(states: readonly SymbolLeverageState[]): LeverageRefusal[] {
  return [...groupBySymbol(states)].flatMap(([symbol, rows]) => {
    const off = rows.find((r) => !isOneX(r.leverage));
    return off ? [{ symbol, kind: 'read_back' as const, leverage: off.leverage }] : [];
  });
}

/**
 * The reason a refused basket carries (position `failureReason`, alert), naming every symbol:
 * `leverage cannot be 1x for ETHUSDT, XRPUSDT: ETHUSDT is held (0.5) at 5x — setting 1x would change
 * the margin and liquidation price of a position Legwork did not open; …. No order was sent.`
 */
export function leverageRefusalReason(refused: readonly LeverageRefusal[]): string {
  const symbols = [...new Set(refused.map((r) => r.symbol))];
  return `leverage cannot be 1x for ${symbols.join(', ')}: ${refused.map(explain).join('; ')}. No order was sent.`;
}

function explain(r: LeverageRefusal): string {
  switch (r.kind) {
    case 'held':
      return (
        `${r.symbol} is held (${r.size}) at ${shown(r.leverage)} — setting 1x would change the margin and liquidation price ` +
        `of a position Legwork did not open at that leverage; close it or set it to 1x by hand, then open again`
      );
    case 'exchange_refused':
      return `the exchange refused to set ${r.symbol} to 1x (${r.detail})`;
    case 'read_back':
      return `${r.symbol} was set to 1x but the exchange still reports ${shown(r.leverage)}`;
  }
}

function shown(leverage: string | null): string {
  return leverage === null || leverage === '' ? 'an unknown leverage' : `${leverage}x`;
}
