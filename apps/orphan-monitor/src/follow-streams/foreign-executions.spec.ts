import { randomUUID } from 'node:crypto';
import { encodeOrderLinkId, ExecutionView } from '@legwork/exchange';
import { foreignFills, ourOrderLinkIds } from './foreign-executions';

function execution(orderLinkId: string, kind: ExecutionView['kind'] = 'trade'): ExecutionView {
  return {
    execId: randomUUID(),
    exchangeOrderId: randomUUID(),
    orderLinkId,
    symbol: 'TRXUSDT',
    side: 'buy',
    price: '0.25',
    quantity: '500',
    fee: '0.06875',
    feeCurrency: 'USDT',
    executedAt: new Date(0),
    feeRate: '0.00055',
    kind,
  };
}

describe('foreignFills', () => {
  const tracked = encodeOrderLinkId({ ownerId: randomUUID(), purpose: 'open', attempt: 0, legIndex: 1 });
  const untracked = encodeOrderLinkId({ ownerId: randomUUID(), purpose: 'open', attempt: 0, legIndex: 2 });

  it('a manual trade (no orderLinkId, or not ours) and one of our orders the ledger lacks are foreign', () => {
    const fills = [execution(''), execution('my-own-bot-1'), execution(untracked)];
    expect(foreignFills(fills, new Set([tracked]))).toEqual(fills);
  });

  it('a fill of a tracked order is ours', () => {
    expect(foreignFills([execution(tracked)], new Set([tracked]))).toEqual([]);
  });

  it('funding and exchange closes are not fills: never foreign', () => {
    expect(foreignFills([execution('', 'funding'), execution('', 'exchange_close')], new Set())).toEqual([]);
  });

  it('only decodable ids of fills are looked up, once each', () => {
    expect(ourOrderLinkIds([execution(tracked), execution(tracked), execution(''), execution(untracked, 'funding')])).toEqual([tracked]);
  });
});
