// Batch order placement, POST /v5/order/create-batch with category=linear
// (docs/v5/order/batch-place.mdx; rate-limit.mdx "Instructions for batch endpoints").
// Semantics: a request of more than maxOrdersPerRequest orders (20 for linear) is refused whole;
// otherwise every order is judged on its own, in request order, through the same engine path as
// /v5/order/create (Exchange.placeMarketOrder: same rules, same codes, orderLinkId unique forever
// — so a repeated orderLinkId, even inside the same request, fails that entry with 110072). Each
// order costs one unit of the account's batch budget whatever its outcome; the orders past the
// units left fail with 10006 and cost nothing. The request itself succeeds (retCode 0) once it
// is judged, even if every entry failed: the outcome of each order is in its own code.
import { BudgetStatus } from './batch-budget';
import { BybitError, RetCode } from './errors';
import { Exchange } from './exchange';
import { MarketOrderRequest } from './matching';
import { Order } from './types';

/**
 * One entry of the request: a parsed order, or one the wire parsing refused (its error becomes
 * the entry's code; the symbol and orderLinkId as sent are echoed back).
 */
export type BatchEntry =
  { readonly request: MarketOrderRequest } | { readonly refused: BybitError; readonly symbol: string; readonly orderLinkId: string };

/** The outcome of one entry: `result.list[i]` and `retExtInfo.list[i]` of the answer. */
export interface BatchEntryResult {
  readonly symbol: string;
  readonly orderLinkId: string;
  /** The placed order; undefined when the entry failed. */
  readonly order: Order | undefined;
  /** 0 when placed, else the retCode /v5/order/create would have answered (10006 past the budget). */
  readonly code: number;
  /** "OK" when placed, else the retMsg. */
  readonly msg: string;
}

/** Every entry's outcome, in request order, and the budget after the request. */
export interface BatchOutcome {
  readonly results: BatchEntryResult[];
  readonly budget: BudgetStatus;
}

/** The 10006 every order past the account's remaining batch budget fails with (rate-limit.mdx). */
export const BATCH_RATE_LIMITED = BybitError.of(RetCode.RATE_LIMIT);

/**
 * Places the orders of one batch request for the account, charging its batch budget
 * (exchange.batchBudget).
 *
 * @param apiKey the account's identity key
 * @throws BybitError 10001 when the request holds no order or more than the account's
 *   maxOrdersPerRequest (nothing placed, no unit used)
 * @throws UnknownAccountError when the account does not exist (callers authenticate first)
 */
export function placeBatch(exchange: Exchange, apiKey: string, entries: readonly BatchEntry[], now: number): BatchOutcome {
  const budget = exchange.batchBudget;
  const { maxOrdersPerRequest } = budget.limits(apiKey);
  if (entries.length === 0) throw BybitError.params('request must hold at least one order');
  if (entries.length > maxOrdersPerRequest)
    throw BybitError.params(`request holds ${entries.length} orders, at most ${maxOrdersPerRequest} are allowed for linear`);
  const granted = budget.take(apiKey, entries.length, now);
  const results = entries.map((entry, index) => (index < granted ? placeOne(exchange, apiKey, entry, now) : rateLimited(entry)));
  return { results, budget: budget.status(apiKey, now) };
}

function placeOne(exchange: Exchange, apiKey: string, entry: BatchEntry, now: number): BatchEntryResult {
  if ('refused' in entry) return failed(entry.symbol, entry.orderLinkId, entry.refused);
  const { symbol, orderLinkId } = entry.request;
  try {
    const order = exchange.placeMarketOrder(apiKey, entry.request, now);
    return { symbol, orderLinkId, order, code: RetCode.OK, msg: 'OK' };
  } catch (error) {
    if (!(error instanceof BybitError)) throw error;
    return failed(symbol, orderLinkId, error);
  }
}

function rateLimited(entry: BatchEntry): BatchEntryResult {
  return 'refused' in entry
    ? failed(entry.symbol, entry.orderLinkId, BATCH_RATE_LIMITED)
    : failed(entry.request.symbol, entry.request.orderLinkId, BATCH_RATE_LIMITED);
}

function failed(symbol: string, orderLinkId: string, error: BybitError): BatchEntryResult {
  return { symbol, orderLinkId, order: undefined, code: error.retCode, msg: error.retMsg };
}
