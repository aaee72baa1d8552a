import type { ExecutionView } from '@legwork/exchange';
import { RecentExecutions, streamFillOf } from './recent-executions';

const execution = (over: Partial<ExecutionView> = {}): ExecutionView => ({
  execId: 'e1',
  exchangeOrderId: 'o1',
  orderLinkId: 'lw-leg-0',
  symbol: 'BTCUSDT',
  side: 'buy',
  price: '100',
  quantity: '0.004',
  fee: '0.0002',
  feeCurrency: 'USDT',
  executedAt: new Date(1_700_000_000_000),
  feeRate: '0.00055',
  kind: 'trade',
  ...over,
});

describe('a leg fill from stream executions', () => {
  it('is whole when the executions of one order add up to its quantity, at their volume-weighted price', () => {
    const fill = streamFillOf('0.0100000000', [
      execution({ execId: 'e1', price: '100', quantity: '0.004' }),
      execution({ execId: 'e2', price: '101', quantity: '0.006' }),
    ]);
    expect(fill).toEqual({
      exchangeOrderId: 'o1',
      filledQuantity: '0.01',
      averagePrice: '100.6',
      fills: [expect.objectContaining({ execId: 'e1' }), expect.objectContaining({ execId: 'e2' })],
    });
  });

  it('is not a fill while part of the quantity is missing, when more than ordered shows, or fills of two orders mix', () => {
    expect(streamFillOf('0.01', [execution({ quantity: '0.004' })])).toBeNull();
    expect(streamFillOf('0.01', [])).toBeNull();
    expect(streamFillOf('0.004', [execution({ quantity: '0.004' }), execution({ execId: 'e2', quantity: '0.004' })])).toBeNull();
    expect(
      streamFillOf('0.008', [execution({ quantity: '0.004' }), execution({ execId: 'e2', exchangeOrderId: 'o2', quantity: '0.004' })]),
    ).toBeNull();
  });
});

describe('recent stream executions of an account', () => {
  it('keeps each execId once: a duplicated message does not double a fill', () => {
    const recent = new RecentExecutions(60_000);
    expect(recent.add([execution({ execId: 'e1' })], 0)).toEqual(['lw-leg-0']);
    expect(recent.add([execution({ execId: 'e1' })], 10)).toEqual([]);
    expect(recent.of('lw-leg-0')).toHaveLength(1);
    expect(streamFillOf('0.008', recent.of('lw-leg-0'))).toBeNull();
    expect(streamFillOf('0.004', recent.of('lw-leg-0'))?.filledQuantity).toBe('0.004');
  });

  it('keeps only order fills with an orderLinkId: funding, exchange closes and trades by hand are no leg fill', () => {
    const recent = new RecentExecutions(60_000);
    const touched = recent.add(
      [
        execution({ execId: 'f1', kind: 'funding' }),
        execution({ execId: 'l1', kind: 'exchange_close' }),
        execution({ execId: 'm1', orderLinkId: '' }),
      ],
      0,
    );
    expect(touched).toEqual([]);
    expect(recent.size).toBe(0);
  });

  it('forgets an order keepMs after its last execution arrived', () => {
    const recent = new RecentExecutions(1_000);
    recent.add([execution({ execId: 'e1', orderLinkId: 'a' })], 0);
    recent.add([execution({ execId: 'e2', orderLinkId: 'b' })], 900);
    recent.add([execution({ execId: 'e3', orderLinkId: 'b' })], 1_500);
    expect(recent.of('a')).toEqual([]);
    expect(recent.of('b').map((e) => e.execId)).toEqual(['e2', 'e3']);
  });
});
