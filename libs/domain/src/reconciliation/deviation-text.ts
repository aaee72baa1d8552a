import type Decimal from 'decimal.js';
import { writtenDecimalPlaces } from './decimal-input';

/**
 * The human sentence of a leg deviation, as the UI and alerts show it (seed 000, "BTC: -0.05 |
 * Expected: 0.1, Actual: 0.05"; DESIGN: "BTCUSDT: expected 0.100, actual 0.050, Δ −0.050").
 *
 * Numbers are written with the leg's own precision: the decimal places of its recorded quantity
 * (the instrument's qty step), at least 3 — and never fewer than needed to show every number
 * exactly, so a deviation of 0.0005 is never rounded into "Δ +0.001" or hidden as "Δ 0.000".
 * Negatives carry a real minus sign "−" (U+2212); the Δ carries "+" when positive.
 */
export interface DeviationNumbers {
  /** The slot as texts name it: `BTCUSDT`, or in hedge mode `BTCUSDT long side`. */
  symbol: string;
  /** The leg's recorded quantity as written, e.g. "0.100": sets the precision. */
  legQuantity: string;
  expected: Decimal;
  actual: Decimal;
  delta: Decimal;
}

const MINUS = '\u2212';
const MIN_DECIMALS = 3;

/** `BTCUSDT: expected 0.100, actual 0.050, Δ −0.050` */
export function singleHolderExplanation(n: DeviationNumbers): string {
  const dp = decimalsFor(n);
  return `${n.symbol}: expected ${quantity(n.expected, dp)}, actual ${quantity(n.actual, dp)}, Δ ${delta(n.delta, dp)}`;
}

/**
 * `BTCUSDT (shared by 2 positions: p-1, p-2): expected 0.200 in total, actual 0.150, Δ −0.050`.
 * `holders` is the parenthesised phrase, e.g. "shared by 2 positions: p-1, p-2".
 */
export function sharedExplanation(n: DeviationNumbers, holders: string): string {
  const dp = decimalsFor(n);
  return (
    `${n.symbol} (${holders}): expected ${quantity(n.expected, dp)} in total, ` +
    `actual ${quantity(n.actual, dp)}, Δ ${delta(n.delta, dp)}`
  );
}

function decimalsFor(n: DeviationNumbers): number {
  return Math.max(
    MIN_DECIMALS,
    writtenDecimalPlaces(n.legQuantity),
    n.expected.decimalPlaces(),
    n.actual.decimalPlaces(),
    n.delta.decimalPlaces(),
  );
}

function quantity(d: Decimal, dp: number): string {
  // dp is never below the value's own decimals, so toFixed only pads: nothing is rounded away.
  return d.isNegative() && !d.isZero() ? `${MINUS}${d.abs().toFixed(dp)}` : d.abs().toFixed(dp);
}

function delta(d: Decimal, dp: number): string {
  if (d.isZero()) return d.abs().toFixed(dp);
  return `${d.isNegative() ? MINUS : '+'}${d.abs().toFixed(dp)}`;
}
