import Decimal from 'decimal.js';
import { DomainError } from '../errors/domain-error';
import type { DomainErrorCode } from '../errors/error-codes';

/**
 * Decimal arithmetic for reconciliation, orphan detection and P&L (internal to the domain).
 *
 * Why a clone: decimal.js rounds every result to 20 significant digits by default. A sum of many
 * legs or a price × quantity product (8 + 8 decimals) can need more, and a deviation that exists
 * only past the 20th digit would silently become "in sync". 60 digits is exact for any quantity
 * or price Bybit can express.
 */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

// Plain decimal notation only: `new Decimal` also accepts "0x10", "1e-3" and "Infinity", none of
// which is a quantity or a price as Legwork stores them (NUMERIC columns, decimal strings).
const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Parses a non-negative decimal string (`"0.100"`, `"86"`).
 * @throws DomainError `code` when the text is not plain decimal notation, or is zero and `positive` is set.
 */
export function parseUnsigned(value: string, field: string, code: DomainErrorCode, positive = false): Dec {
  if (typeof value !== 'string' || !UNSIGNED_DECIMAL.test(value)) {
    throw new DomainError(code, `${field} is not a non-negative decimal number: ${String(value)}`, { field, value });
  }
  const d = new Dec(value);
  if (positive && d.isZero()) {
    throw new DomainError(code, `${field} must be greater than zero, got ${value}`, { field, value });
  }
  return d;
}

/** Parses a signed decimal string (`"-0.05"`). @throws DomainError `code` on anything else. */
export function parseSigned(value: string, field: string, code: DomainErrorCode): Dec {
  if (typeof value !== 'string' || !SIGNED_DECIMAL.test(value)) {
    throw new DomainError(code, `${field} is not a decimal number: ${String(value)}`, { field, value });
  }
  return new Dec(value);
}

/**
 * Canonical decimal string out: no exponent, no trailing zeros, and never `"-0"` (a negated zero
 * must compare equal to `"0"` in the database and in tests).
 */
export function decimalString(d: Decimal): string {
  return d.isZero() ? '0' : d.toFixed();
}

/** Decimal places as WRITTEN (`"0.100"` → 3): the instrument's precision, which Decimal forgets. */
export function writtenDecimalPlaces(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** Code-unit order, so sorted output does not depend on the host's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
