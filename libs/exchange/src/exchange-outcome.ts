import * as ccxt from 'ccxt';
import { bybitErrorForRetCode, bybitRefusalOf } from './bybit/bybit-error';
import type { ExchangeErrorCode } from './exchange-error-codes';
import {
  BatchOrderOutcome,
  ExchangeRefusal,
  ExchangeRequestRefusedError,
  ExchangeUnavailableError,
  PlaceOrderOutcome,
  SetLeverageOutcome,
} from './exchange.port';

/** Bybit V5 `retCode` carried in a ccxt error message (`bybit {"retCode":110007,...}`), if any. */
export function bybitRetCode(error: unknown): number | null {
  return bybitRefusalOf(error)?.retCode ?? null;
}

/**
 * Bybit retCodes that ccxt 4.5.84 maps to a definitive class (InvalidOrder / BadRequest) although
 * the order or request may exist or still be in flight (messages from docs/v5/error.mdx), so they
 * are ambiguous here. Checked against the whole error table by exchange-outcome.spec.ts.
 */
const AMBIGUOUS_BYBIT_RET_CODES: ReadonlyMap<number, ExchangeErrorCode> = new Map([
  [110072, 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'], // "OrderLinkedID is duplicate": the order exists
  [110030, 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'], // "Duplicate orderId" (deprecated in the doc)
  [170141, 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'], // Spot: "Duplicate clientOrderId"
  [10014, 'EXCHANGE.DUPLICATE_REQUEST'], // "Invalid duplicate request.": an identical request was received
  [20006, 'EXCHANGE.DUPLICATE_REQUEST'], // WS order entry: "reqId is duplicated"
  [170146, 'EXCHANGE.TIMEOUT'], // Spot: "Order creation timeout"
  [170147, 'EXCHANGE.TIMEOUT'], // Spot: "Order cancellation timeout"
  [170035, 'EXCHANGE.ORDER_PROCESSING'], // "Submitted to the system for processing!"
  [170144, 'EXCHANGE.ORDER_PROCESSING'], // Spot: "Order has been locked" (cf. 110079, order processing)
  // Trading paused, not refused for good (ccxt: ExchangeError): the same order is accepted once the
  // pause ends, so an order refused with these is retried on the schedule, never failed (issue 16).
  [110063, 'EXCHANGE.MAINTENANCE'], // "Settlement in progress! {{key0}} not available for trading."
  [110066, 'EXCHANGE.MAINTENANCE'], // "Trading is currently not allowed."
]);

type Classified = { definitive: true; code: ExchangeErrorCode } | { definitive: false; code: ExchangeErrorCode };

/**
 * THE one place that decides whether an exchange error is a definitive answer or an ambiguous one.
 * Nautilus' rule: an unknown outcome never becomes a rejection.
 *
 * Definitive (the exchange understood the request and refused it): authentication/permission,
 * insufficient funds/margin, bad request or symbol, invalid order (lot size, min notional,
 * reduce-only rule). Ambiguous: every ccxt NetworkError (timeouts, 5xx, rate limits, nonce),
 * generic ExchangeError (e.g. 10016 server error), a duplicate `orderLinkId` (the order exists),
 * the retCodes in {@link AMBIGUOUS_BYBIT_RET_CODES}, and anything unrecognised.
 * Error classes: ccxt `js/src/base/errors.js`; codes: bybit.js `exceptions`.
 */
export function classifyExchangeError(error: unknown): Classified {
  if (error instanceof Error && error.name === 'CircuitOpenError') return { definitive: false, code: 'EXCHANGE.CIRCUIT_OPEN' };
  if (error instanceof ccxt.NetworkError) {
    if (error instanceof ccxt.RateLimitExceeded) return { definitive: false, code: 'EXCHANGE.RATE_LIMITED' };
    if (error instanceof ccxt.RequestTimeout) return { definitive: false, code: 'EXCHANGE.TIMEOUT' };
    if (error instanceof ccxt.ExchangeNotAvailable) return { definitive: false, code: 'EXCHANGE.UNAVAILABLE' };
    return { definitive: false, code: 'EXCHANGE.NETWORK' };
  }
  const retCode = bybitRetCode(error);
  const ambiguous = retCode === null ? undefined : AMBIGUOUS_BYBIT_RET_CODES.get(retCode);
  if (ambiguous) return { definitive: false, code: ambiguous };
  if (error instanceof ccxt.DuplicateOrderId) return { definitive: false, code: 'EXCHANGE.DUPLICATE_ORDER_LINK_ID' };
  if (error instanceof ccxt.AuthenticationError) return { definitive: true, code: 'EXCHANGE.AUTH' };
  if (error instanceof ccxt.InsufficientFunds) return { definitive: true, code: 'EXCHANGE.INSUFFICIENT_MARGIN' };
  if (error instanceof ccxt.BadSymbol) return { definitive: true, code: 'EXCHANGE.INVALID_SYMBOL' };
  if (error instanceof ccxt.InvalidOrder) return { definitive: true, code: 'EXCHANGE.INVALID_ORDER' };
  if (error instanceof ccxt.BadRequest) return { definitive: true, code: 'EXCHANGE.BAD_REQUEST' };
  return { definitive: false, code: 'EXCHANGE.UNKNOWN_ERROR' };
}

/**
 * Bybit's "nothing to change" answers to a setting request (docs/v5/error.mdx): 110025 "Position
 * mode has not been modified.", 110043 "Set leverage has not been modified." The setting is
 * already what was asked, so for Legwork the request succeeded.
 */
const NOT_MODIFIED_RET_CODES: ReadonlySet<number> = new Set([110025, 110043]);

/** True when the error is Bybit saying the setting already has the requested value. */
export function isNotModified(error: unknown): boolean {
  const retCode = bybitRetCode(error);
  return retCode !== null && NOT_MODIFIED_RET_CODES.has(retCode);
}

/**
 * Maps an error thrown by order placement to a {@link PlaceOrderOutcome}; a rejection carries the
 * exchange's own `retCode` / `retMsg` as fields when it answered with them.
 */
export function placeOrderOutcomeFromError(error: unknown): PlaceOrderOutcome {
  const c = classifyExchangeError(error);
  const reason = describeExchangeError(error);
  if (!c.definitive) return { kind: 'unknown', code: c.code, reason };
  const exchange = bybitRefusalOf(error);
  return { kind: 'rejected', code: c.code, reason, permanent: true, ...(exchange ? { exchange } : {}) };
}

/**
 * Bybit 10006 "Too many visits. Exceeded the API Rate Limit." in one entry of a create-batch
 * answer: the order came past the account's batch budget and was not placed (rate-limit.mdx,
 * "Instructions for batch endpoints": "the first 5 orders will be successfully placed, and the
 * 6-8th orders will report an error exceeding the limit").
 */
const BATCH_ENTRY_OVER_BUDGET = 10006;

/**
 * One entry of ccxt 4.5.84 `createOrders` (bybit.js `createOrders` → `parseOrders`): a placed
 * order parses with `status: undefined` and its `id` (ccxt#19928: the batch answer has no
 * status); a refused one with `status: 'rejected'` and Bybit's `retExtInfo.list[i]` merged into
 * `info` (`code`, `msg`).
 */
export interface BatchEntryAnswer {
  id?: string;
  status?: string;
  clientOrderId?: string;
  info?: Record<string, unknown>;
}

/**
 * Classifies one entry of a create-batch answer ({@link BatchOrderOutcome}). A refused entry is
 * judged as the same refusal of a single order would be: its retCode goes through ccxt's own
 * error table ({@link bybitErrorForRetCode}) and then {@link classifyExchangeError}, except
 * 110072 (`duplicate`: the order exists) and 10006 (`not_placed`: past the batch budget).
 */
export function batchOrderOutcome(entry: BatchEntryAnswer | undefined): BatchOrderOutcome {
  if (!entry) return { kind: 'unknown', code: 'EXCHANGE.UNKNOWN_ERROR', reason: 'the batch answer has no entry for this order' };
  const rawCode = entry.info?.['code'];
  const retCode = rawCode === undefined || rawCode === null || rawCode === '' ? 0 : Number(rawCode);
  if (entry.status !== 'rejected' && retCode === 0) {
    return entry.id
      ? { kind: 'accepted', exchangeOrderId: String(entry.id) }
      : { kind: 'unknown', code: 'EXCHANGE.UNKNOWN_ERROR', reason: 'the batch answer accepted this order without an order id' };
  }
  if (!Number.isInteger(retCode) || retCode === 0) {
    return { kind: 'unknown', code: 'EXCHANGE.UNKNOWN_ERROR', reason: `the batch answer refused this order with code ${String(rawCode)}` };
  }
  const retMsg = typeof entry.info?.['msg'] === 'string' ? entry.info['msg'] : '';
  const error = bybitErrorForRetCode(retCode, retMsg);
  const reason = describeExchangeError(error);
  if (retCode === BATCH_ENTRY_OVER_BUDGET) return { kind: 'not_placed', code: 'EXCHANGE.RATE_LIMITED', reason };
  const c = classifyExchangeError(error);
  if (!c.definitive && c.code === 'EXCHANGE.DUPLICATE_ORDER_LINK_ID') return { kind: 'duplicate', code: c.code, reason };
  return placeOrderOutcomeFromError(error);
}

/**
 * Outcomes of the `count` orders of a create-batch request that threw as a whole: a definitive
 * refusal of the request (auth, parameters; nothing placed) rejects each order with it; anything
 * else (timeout, 5xx, 10006 for the request, network) leaves every order `unknown`: each may
 * exist, settle it by `orderLinkId`.
 */
export function batchOutcomesFromError(error: unknown, count: number): BatchOrderOutcome[] {
  const outcome = placeOrderOutcomeFromError(error);
  return Array.from({ length: count }, () => ({ ...outcome }));
}

/**
 * Maps an error thrown by set-leverage to a {@link SetLeverageOutcome}: 110043 is `not_modified`
 * (success); any other definitive answer (by {@link classifyExchangeError}) is `refused` with
 * Bybit's retCode and message — e.g. 110044 "Available margin is insufficient." when an open
 * position's margin at the lower leverage exceeds the wallet, 10001 a leverage outside the
 * instrument's `leverageFilter`, 110013 the risk limit, 110036/110038 cross or portfolio margin;
 * everything ambiguous (network, 5xx, rate limit, 10014 duplicate request) is `unavailable`.
 */
export function setLeverageOutcomeFromError(error: unknown): SetLeverageOutcome {
  if (isNotModified(error)) return { kind: 'not_modified' };
  const retCode = bybitRetCode(error);
  const c = classifyExchangeError(error);
  const reason = describeExchangeError(error);
  return c.definitive ? { kind: 'refused', code: c.code, retCode, reason } : { kind: 'unavailable', code: c.code, reason };
}

/**
 * Bybit 110017 "orderQty will be truncated to zero" (docs/v5/error.mdx): the answer to a
 * reduce-only order when nothing is left to reduce — the exchange's own word that the position
 * is already flat.
 */
const NOTHING_TO_REDUCE = 110017;

/** True when a refused reduce-only order was refused because nothing was left to reduce. */
export function isNothingToReduce(refusal: ExchangeRefusal | null | undefined): boolean {
  return refusal?.retCode === NOTHING_TO_REDUCE;
}

/** Maps an error thrown by a read to the error the port promises. */
export function readError(error: unknown, what: string): Error {
  const c = classifyExchangeError(error);
  const refusal = bybitRefusalOf(error);
  // A read's error is a message only (no fields): the exchange's code stays in it for the operator.
  const message = `${what}: ${describeExchangeError(error)}${refusal ? ` (retCode ${refusal.retCode})` : ''}`;
  return c.definitive ? new ExchangeRequestRefusedError(c.code, message) : new ExchangeUnavailableError(c.code, message);
}

/**
 * A plain sentence for an exchange error: what kind of refusal (the ccxt class, in words) and the
 * exchange's own message, e.g. `insufficient funds: ab not enough for new order`. ccxt messages
 * are `<exchange> <json>`: the JSON is read for its `retMsg`, never passed on raw (its code and
 * message go out as fields, see {@link placeOrderOutcomeFromError}). Short, and never with
 * request headers.
 */
export function describeExchangeError(error: unknown): string {
  const e = error as Error;
  const kind = (e?.constructor?.name ?? 'Error').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const refusal = bybitRefusalOf(error);
  const text = refusal ? refusal.retMsg || `code ${refusal.retCode}` : String(e?.message ?? e).replace(/^bybit /, '');
  return `${kind}: ${text.slice(0, 200)}`;
}
