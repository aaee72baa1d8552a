import { randomUUID } from 'node:crypto';
import { encodeOrderLinkId, ExecutionView, StreamExecution } from '@legwork/exchange';
import { foreignFills, ourOrderLinkIds } from './foreign-executions';
import { suspicionWindow } from './suspect-from-stream.use-case';

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

describe('suspicionWindow', () => {
  const at = new Date('2026-11-29T12:00:03.500Z');
  const event = (iso: string): StreamExecution => ({
    execution: { ...execution(''), executedAt: new Date(iso) },
    creationTime: 0,
    cause: 'trade',
  });

  it("is the latest causing execution's exchange time, the same on every replica", () => {
    expect(suspicionWindow([event('2026-11-29T12:00:03.100Z'), event('2026-11-29T12:00:02.900Z')], at, 2000)).toEqual(
      new Date('2026-11-29T12:00:03.100Z'),
    );
  });

  it('a gap fill (no event) takes now rounded down to a multiple of the grace', () => {
    expect(suspicionWindow([], at, 2000)).toEqual(new Date('2026-11-29T12:00:02.000Z'));
  });
});
