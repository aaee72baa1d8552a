// Position modes (docs/v5/position/position-mode.mdx, create-order.mdx `positionIdx`), pure:
// which position an order belongs to, and the rules of switching a symbol's mode.
// Invariant: a hedge side only grows through its opening side (Buy on 1, Sell on 2); every
// fill on the other side closes it and is clipped to its size, so it never crosses zero.
import { BybitError, POSITION_IDX_MISMATCH_MSG, RetCode } from './errors';
import { InstrumentCatalogue } from './instruments';
import { PositionIdx, PositionMode, Side } from './types';

/** Where an order goes: its position, and whether it closes that position (a hedge-side close). */
export interface OrderPosition {
  readonly positionIdx: PositionIdx;
  /**
   * True for a Sell on side 1 or a Buy on side 2. Bybit treats such an order as closing the side
   * even without reduceOnly: ccxt 4.5.84's createOrder with `{hedged: true, reduceOnly: true}`
   * drops reduceOnly and sends the opposite positionIdx (bybit.js createOrderRequest), and it
   * only works because Bybit closes with it. So the simulator applies the reduce-only rules to it.
   */
  readonly closing: boolean;
}

/**
 * Resolves an order's positionIdx against the symbol's mode: one-way takes 0 (or none), hedge
 * requires 1 or 2 ("Under hedge-mode, this param is required", create-order.mdx).
 *
 * @param requested the order's positionIdx, undefined when absent
 * @throws BybitError 10001 "params error: position idx not match position mode"
 */
export function resolveOrderPosition(mode: PositionMode, requested: number | undefined, side: Side): OrderPosition {
  if (mode === 'OneWay') {
    if (requested !== undefined && requested !== 0) throw new BybitError(RetCode.PARAMS_ERROR, POSITION_IDX_MISMATCH_MSG);
    return { positionIdx: 0, closing: false };
  }
  if (requested !== 1 && requested !== 2) throw new BybitError(RetCode.PARAMS_ERROR, POSITION_IDX_MISMATCH_MSG);
  return { positionIdx: requested, closing: (requested === 1) !== (side === 'Buy') };
}

/** The positionIdx values a symbol in `mode` has: [0] or [1, 2]. */
export function positionIdxsOf(mode: PositionMode): PositionIdx[] {
  return mode === 'OneWay' ? [0] : [1, 2];
}

/** The mode of switch-mode's `mode` field: 0 MergedSingle (one-way), 3 BothSides (hedge). */
export function modeFromWire(mode: number): PositionMode | undefined {
  if (mode === 0) return 'OneWay';
  if (mode === 3) return 'Hedge';
  return undefined;
}

/** What a switch applies to: one symbol, or every symbol settled in a coin. */
export type ModeSwitchScope = { readonly symbol: string } | { readonly coin: string };

/**
 * The symbols a switch changes (docs/v5/position/position-mode.mdx). Refuses the whole switch
 * when any affected symbol that is not yet in the mode holds a position; the doc's coin-wide
 * wording ("symbols … that do not have position … will be batch switched") suggests Bybit may
 * skip those instead — the simulator refuses so a caller sees it (README "uncertain").
 *
 * @param hasPosition true when the symbol holds a non-zero position on any side
 * @returns the symbols to set to `mode` (never empty)
 * @throws BybitError 10001 unlisted symbol or coin; 110025 already in the mode (coin-wide: every
 *   symbol is); 110024 a position is open in a symbol to switch
 */
export function symbolsToSwitch(
  catalogue: InstrumentCatalogue,
  scope: ModeSwitchScope,
  mode: PositionMode,
  currentMode: (symbol: string) => PositionMode,
  hasPosition: (symbol: string) => boolean,
): string[] {
  let affected: string[];
  if ('symbol' in scope) {
    if (catalogue.find(scope.symbol) === undefined) throw BybitError.params('symbol invalid');
    affected = [scope.symbol];
  } else {
    affected = catalogue.all.filter((instrument) => instrument.settleCoin === scope.coin).map((instrument) => instrument.symbol);
    if (affected.length === 0) throw BybitError.params('coin invalid');
  }
  const toSwitch = affected.filter((symbol) => currentMode(symbol) !== mode);
  if (toSwitch.length === 0) throw BybitError.of(RetCode.POSITION_MODE_NOT_MODIFIED);
  if (toSwitch.some(hasPosition)) throw BybitError.of(RetCode.POSITION_MODE_POSITION_OPEN);
  return toSwitch;
}
