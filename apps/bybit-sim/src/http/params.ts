// Reading V5 request parameters: query strings arrive as strings, JSON bodies may carry strings,
// numbers or booleans (Bybit accepts "reduceOnly": true and qty as a string).
import { Dec, parseDecimal } from '../engine/decimal';
import { BybitError } from '../engine/errors';
import { Side } from '../engine/types';

/** Parameters of one request: the query for GET, the parsed body for POST. */
export type Params = Readonly<Record<string, unknown>>;

/** A non-empty string parameter, or undefined. */
export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** @throws BybitError 10001 when missing */
export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw BybitError.params(`${name} is required`);
  return value;
}

/** An integer parameter (ms timestamps, limits), or undefined. @throws BybitError 10001 when not an integer */
export function optionalInteger(params: Params, name: string): number | undefined {
  const text = optionalString(params, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw BybitError.params(`${name} invalid`);
  return Number.parseInt(text, 10);
}

/** A boolean given as true/false, "true"/"false" or 1/0. @throws BybitError 10001 otherwise */
export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  throw BybitError.params(`${name} invalid`);
}

/** Buy or Sell. @throws BybitError 10001 */
export function requiredSide(params: Params): Side {
  const side = requiredString(params, 'side');
  if (side !== 'Buy' && side !== 'Sell') throw BybitError.params('side invalid');
  return side;
}

/** A decimal qty string. @throws BybitError 10001 */
export function requiredQty(params: Params): Dec {
  const qty = parseDecimal(params['qty']);
  if (qty === undefined || qty.isNegative()) throw BybitError.params('qty invalid');
  return qty;
}

/**
 * `limit` clamped into [1, max] with Bybit's default when absent. Out-of-range values are
 * clamped, not refused (Bybit's exact behaviour here is undocumented).
 */
export function pageLimit(params: Params, defaultLimit: number, max: number): number {
  const limit = optionalInteger(params, 'limit');
  if (limit === undefined) return defaultLimit;
  return Math.min(max, Math.max(1, limit));
}

const CATEGORIES = new Set(['spot', 'linear', 'inverse', 'option']);

/**
 * The required `category`. Only "linear" has instruments here: queries answer the other valid
 * categories with empty lists, order creation refuses them.
 *
 * @throws BybitError 10001 when missing or not one of spot, linear, inverse, option
 */
export function requiredCategory(params: Params): string {
  const category = requiredString(params, 'category');
  if (!CATEGORIES.has(category)) throw BybitError.params('category invalid');
  return category;
}

/** Parses the query part of a raw URL into a plain record (last value wins). */
export function parseQuery(rawQuery: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(rawQuery));
}
