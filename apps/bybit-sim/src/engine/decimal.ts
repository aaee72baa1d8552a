// Decimal helpers for the simulated exchange. Money, prices and quantities are decimal.js values
// everywhere in the engine and decimal strings on the wire; a JS float never carries an amount.
// A private Decimal clone keeps our precision/rounding settings from leaking into other code
// that shares the decimal.js module.
import DecimalJs from 'decimal.js';

/** Decimal constructor configured for the simulator: 40 significant digits, half-up rounding. */
export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
/** A decimal value created by {@link Dec}. */
export type Dec = InstanceType<typeof Dec>;

/** Decimal places we keep for derived values that Bybit shows with many digits (avg price, fees, PnL). */
export const DERIVED_DP = 8;

const DECIMAL_PATTERN = /^-?(?:\d+)(?:\.\d+)?$/;

/**
 * Parses a plain decimal string ("0.001", "65000", "-1.5"). Exponents, blanks, hex and the
 * like are refused so that the wire format stays what Bybit accepts.
 *
 * @returns the value, or undefined when the text is not a plain decimal
 */
export function parseDecimal(text: unknown): Dec | undefined {
  if (typeof text === 'number' && Number.isFinite(text)) return new Dec(text);
  if (typeof text !== 'string' || !DECIMAL_PATTERN.test(text)) return undefined;
  return new Dec(text);
}

/** Rounds a value to the nearest multiple of `step` (half-up). */
export function roundToStep(value: Dec, step: Dec): Dec {
  return value.div(step).toDecimalPlaces(0, Dec.ROUND_HALF_UP).mul(step);
}

/** Plain decimal string without exponent or trailing zeros ("119.015", "0"). */
export function plain(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}

/** Rounds to {@link DERIVED_DP} places and prints without trailing zeros. */
export function derived(value: Dec): string {
  return plain(value.toDecimalPlaces(DERIVED_DP, Dec.ROUND_HALF_UP));
}

/** The zero constant; Dec values are immutable so sharing is safe. */
export const ZERO = new Dec(0);
