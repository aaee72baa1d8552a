// Validation of the control API's market bodies: order-book shape, fill mode, funding rates and
// settlements, maintenance windows. Unknown fields are refused, as for every control body.
import { Dec } from '../engine/decimal';
import { BookSettings, MAX_BOOK_DEPTH } from '../engine/order-book';
import { ControlInputError, Json, boolean, decimal, nonNegativeInt, onlyKnown, record, string } from './control-parse';

function intInRange(body: Json, name: string, min: number, max: number): number | undefined {
  const value = nonNegativeInt(body, name);
  if (value !== undefined && (value < min || value > max)) throw new ControlInputError(`${name} must be an integer in [${min}, ${max}]`);
  return value;
}

function positiveDecimal(body: Json, name: string): Dec | undefined {
  if (body[name] === undefined) return undefined;
  const value = decimal(body, name);
  if (!value.isPositive() || value.isZero()) throw new ControlInputError(`${name} must be greater than 0`);
  return value;
}

/**
 * Body of POST /__sim/order-book (and startBybitSim's `book`): `symbol` absent = every symbol.
 * spreadTicks 1–10 000, depth 1–500, levelStepTicks 1–10 000, levelNotionalUsdt > 0 (decimal
 * string), refillMs ≥ 0, priceLimitRatio in (0, 1) (decimal string).
 *
 * @throws ControlInputError naming the field
 */
export function parseBookSettings(input: unknown): { symbol: string | undefined; settings: Partial<BookSettings> } {
  const body = record(input, 'order book');
  onlyKnown(body, ['symbol', 'spreadTicks', 'depth', 'levelStepTicks', 'levelNotionalUsdt', 'refillMs', 'priceLimitRatio'], 'order book');
  const settings: { -readonly [K in keyof BookSettings]?: BookSettings[K] } = {};
  const spreadTicks = intInRange(body, 'spreadTicks', 1, 10_000);
  const depth = intInRange(body, 'depth', 1, MAX_BOOK_DEPTH);
  const levelStepTicks = intInRange(body, 'levelStepTicks', 1, 10_000);
  const refillMs = intInRange(body, 'refillMs', 0, 86_400_000);
  const levelNotionalUsdt = positiveDecimal(body, 'levelNotionalUsdt');
  const priceLimitRatio = positiveDecimal(body, 'priceLimitRatio');
  if (priceLimitRatio !== undefined && !priceLimitRatio.lessThan(1)) throw new ControlInputError('priceLimitRatio must be less than 1');
  if (spreadTicks !== undefined) settings.spreadTicks = spreadTicks;
  if (depth !== undefined) settings.depth = depth;
  if (levelStepTicks !== undefined) settings.levelStepTicks = levelStepTicks;
  if (refillMs !== undefined) settings.refillMs = refillMs;
  if (levelNotionalUsdt !== undefined) settings.levelNotionalUsdt = levelNotionalUsdt;
  if (priceLimitRatio !== undefined) settings.priceLimitRatio = priceLimitRatio;
  return { symbol: string(body, 'symbol', false), settings };
}

/** Body of POST /__sim/fill-mode: `apiKey` absent = every account. @throws ControlInputError */
export function parseFillMode(input: unknown): { apiKey: string | undefined; fillAtMark: boolean } {
  const body = record(input, 'fill mode');
  onlyKnown(body, ['apiKey', 'fillAtMark'], 'fill mode');
  const fillAtMark = boolean(body, 'fillAtMark');
  if (fillAtMark === undefined) throw new ControlInputError('fillAtMark must be true or false');
  return { apiKey: string(body, 'apiKey', false), fillAtMark };
}

/**
 * Body of POST /__sim/funding/rates: symbol → rate per 8 hours, a decimal string in (−1, 1)
 * ("0.0001" = 0.01 %; negative: shorts pay longs). @throws ControlInputError
 */
export function parseFundingRates(input: unknown): Map<string, Dec> {
  const body = record(input, 'funding rates');
  const rates = new Map<string, Dec>();
  for (const symbol of Object.keys(body)) {
    const rate = decimal(body, symbol);
    if (!rate.abs().lessThan(1)) throw new ControlInputError(`${symbol} must be a rate between -1 and 1`);
    rates.set(symbol, rate);
  }
  if (rates.size === 0) throw new ControlInputError('give at least one symbol and its rate');
  return rates;
}

/** Body of POST /__sim/funding/settle: `symbol` absent = every symbol. @throws ControlInputError */
export function parseFundingSettle(input: unknown): { symbol: string | undefined } {
  const body = record(input, 'funding settle');
  onlyKnown(body, ['symbol'], 'funding settle');
  return { symbol: string(body, 'symbol', false) };
}

/**
 * Body of POST /__sim/maintenance: `symbol` absent = the whole exchange; `beginTime` (epoch ms,
 * default now) and `endTime` (default beginTime + durationMs, durationMs default 1 hour).
 *
 * @throws ControlInputError when endTime ≤ beginTime or a field is malformed
 */
export function parseMaintenance(
  input: unknown,
  now: number,
): { symbol: string | undefined; title: string | undefined; begin: number; end: number } {
  const body = record(input, 'maintenance');
  onlyKnown(body, ['symbol', 'title', 'beginTime', 'endTime', 'durationMs'], 'maintenance');
  const begin = nonNegativeInt(body, 'beginTime') ?? now;
  const durationMs = nonNegativeInt(body, 'durationMs');
  if (body['endTime'] !== undefined && durationMs !== undefined) throw new ControlInputError('give endTime or durationMs, not both');
  const end = nonNegativeInt(body, 'endTime') ?? begin + (durationMs ?? 60 * 60 * 1000);
  if (end <= begin) throw new ControlInputError('endTime must be after beginTime');
  return { symbol: string(body, 'symbol', false), title: string(body, 'title', false), begin, end };
}
