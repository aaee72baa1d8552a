import * as ccxt from 'ccxt';
import { BatchEntryAnswer, batchOrderOutcome, batchOutcomesFromError } from './exchange-outcome';

/**
 * batchOrderOutcome / batchOutcomesFromError: the entries ccxt 4.5.84 itself returns from
 * `createOrders` (bybit.js: `retExtInfo.list[i]` merged into `result.list[i]` when its code is not
 * 0, then `parseOrders`), built from Bybit answers shaped as docs/v5/order/batch-place.mdx shows
 * them, and the errors ccxt throws for a whole request (bybit.handleErrors). No mocks, no network.
 */
const bybit = new ccxt.bybit();
const BATCH_URL = 'https://api.bybit.com/v5/order/create-batch';

/** What ccxt's createOrders returns for a create-batch answer with these entries ({code, msg} per order). */
function ccxtEntries(entries: { orderLinkId: string; symbol: string; code: number; msg: string }[]): BatchEntryAnswer[] {
  const data = entries.map((e, i) => ({
    category: 'linear',
    symbol: e.symbol,
    orderId: e.code === 0 ? `0000000${i}-aaaa-bbbb-cccc-dddddddddddd` : '',
    orderLinkId: e.orderLinkId,
    createAt: e.code === 0 ? '1764430000000' : '',
  }));
  const codes = entries.map((e) => ({ code: e.code, msg: e.msg }));
  // bybit.js createOrders: "extend the error with the unsuccessful orders"
  const merged = data.map((d, i) => (codes[i]?.code !== 0 ? bybit.extend(d, codes[i]) : d));
  return bybit.parseOrders(merged) as unknown as BatchEntryAnswer[];
}

/** What ccxt throws for a whole create-batch request answered with `retCode`. */
function ccxtRequestError(retCode: number, retMsg: string): unknown {
  const body = JSON.stringify({ retCode, retMsg, result: {}, retExtInfo: {}, time: 1 });
  try {
    bybit.handleErrors(200, 'OK', BATCH_URL, 'POST', {}, body, bybit.parseJson(body), {}, '{}');
  } catch (error) {
    return error;
  }
  throw new Error(`ccxt threw nothing for retCode ${retCode}`);
}

describe('batchOrderOutcome (one entry of a create-batch answer, as ccxt returns it)', () => {
  const [placed, duplicate, overBudget, margin, params, paused, serverError] = ccxtEntries([
    { orderLinkId: 'lw-1', symbol: 'BTCUSDT', code: 0, msg: 'OK' },
    { orderLinkId: 'lw-2', symbol: 'ETHUSDT', code: 110072, msg: 'OrderLinkedID is duplicate' },
    { orderLinkId: 'lw-3', symbol: 'XRPUSDT', code: 10006, msg: 'Too many visits. Exceeded the API Rate Limit.' },
    { orderLinkId: 'lw-4', symbol: 'DOGEUSDT', code: 110007, msg: 'Available balance is insufficient' },
    { orderLinkId: 'lw-5', symbol: 'LTCUSDT', code: 10001, msg: 'params error: symbol invalid' },
    { orderLinkId: 'lw-6', symbol: 'LTCUSDT', code: 110066, msg: 'Trading is currently not allowed.' },
    { orderLinkId: 'lw-7', symbol: 'LTCUSDT', code: 10016, msg: 'Server error.' },
  ]);

  it('a placed entry comes back without a status (ccxt#19928): accepted with its order id, to verify by orderLinkId', () => {
    expect(placed?.status).toBeUndefined();
    expect(batchOrderOutcome(placed)).toEqual({ kind: 'accepted', exchangeOrderId: '00000000-aaaa-bbbb-cccc-dddddddddddd' });
  });

  it('110072 "OrderLinkedID is duplicate": the order exists, settle it by orderLinkId', () => {
    expect(duplicate).toMatchObject({ status: 'rejected', clientOrderId: 'lw-2', info: { code: 110072 } });
    expect(batchOrderOutcome(duplicate)).toMatchObject({ kind: 'duplicate', code: 'EXCHANGE.DUPLICATE_ORDER_LINK_ID' });
  });

  it('10006 past the batch budget: this order alone was not placed, resend it with the same orderLinkId', () => {
    expect(batchOrderOutcome(overBudget)).toMatchObject({
      kind: 'not_placed',
      code: 'EXCHANGE.RATE_LIMITED',
      reason: expect.stringContaining('Too many visits'),
    });
  });

  it.each([
    [() => margin, 'EXCHANGE.INSUFFICIENT_MARGIN', 110007],
    [() => params, 'EXCHANGE.BAD_REQUEST', 10001],
  ])('a definitive refusal is rejected as a single order would be (%#): %s with the retCode and message', (entry, code, retCode) => {
    const outcome = batchOrderOutcome(entry());
    expect(outcome).toEqual({
      kind: 'rejected',
      code,
      permanent: true,
      reason: expect.not.stringContaining('{'),
      exchange: { retCode, retMsg: expect.any(String) },
    });
  });

  it('trading paused (110066) or a server error (10016) in an entry is unknown, never a rejection', () => {
    expect(batchOrderOutcome(paused)).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.MAINTENANCE' });
    expect(batchOrderOutcome(serverError)).toMatchObject({ kind: 'unknown' });
  });

  it('an entry missing from the answer, or placed without an id, is unknown', () => {
    expect(batchOrderOutcome(undefined)).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.UNKNOWN_ERROR' });
    expect(batchOrderOutcome({ status: undefined, info: { code: 0 } })).toMatchObject({ kind: 'unknown' });
  });
});

describe('batchOutcomesFromError (the create-batch request failed as a whole)', () => {
  it('a timeout, a 5xx or 10006 for the request: every order unknown (each may exist)', () => {
    for (const error of [
      new ccxt.RequestTimeout('bybit POST create-batch timed out'),
      new ccxt.ExchangeNotAvailable('bybit 503'),
      ccxtRequestError(10006, 'Too many visits. Exceeded the API Rate Limit.'),
    ]) {
      const outcomes = batchOutcomesFromError(error, 3);
      expect(outcomes).toHaveLength(3);
      for (const outcome of outcomes) expect(outcome.kind).toBe('unknown');
    }
  });

  it('a definitive refusal of the request (10001, nothing placed): every order rejected with it', () => {
    const error = ccxtRequestError(10001, 'params error: request holds 21 orders, at most 20 are allowed for linear');
    expect(batchOutcomesFromError(error, 2)).toEqual([
      expect.objectContaining({ kind: 'rejected', code: 'EXCHANGE.BAD_REQUEST', exchange: expect.objectContaining({ retCode: 10001 }) }),
      expect.objectContaining({ kind: 'rejected', code: 'EXCHANGE.BAD_REQUEST' }),
    ]);
  });
});
