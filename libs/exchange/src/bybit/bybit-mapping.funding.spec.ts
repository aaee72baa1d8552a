import { isFundingSettlement, isOrderFill } from '../exchange.port';
import { executionKindFromBybit, executionViewFromBybit } from './bybit-mapping';

/**
 * A funding settlement as /v5/execution/list reports it (docs/v5/order/execution.mdx fields;
 * docs/v5/enum.mdx#exectype `Funding`): no order, execQty = the position's size, execFee = the
 * funding paid (positive) or received (negative), feeRate = the funding rate, side = the position's.
 */
const fundingRow = {
  symbol: 'BTCUSDT',
  orderType: 'UNKNOWN',
  orderLinkId: '',
  side: 'Buy',
  orderId: '1765600000000-funding',
  execTime: '1765612800000',
  feeCurrency: 'USDT',
  isMaker: false,
  execFee: '0.3',
  feeRate: '0.0001',
  execId: 'f2b6d3e1-0000-4000-8000-000000000001',
  markPrice: '100000',
  execPrice: '100000',
  execValue: '3000',
  execType: 'Funding',
  execQty: '0.03',
  closedSize: '0',
  seq: 1,
};

describe('a Bybit Funding execution', () => {
  it('is mapped as funding with the position size, the funding paid and the rate', () => {
    expect(executionViewFromBybit(fundingRow)).toEqual({
      execId: 'f2b6d3e1-0000-4000-8000-000000000001',
      exchangeOrderId: '1765600000000-funding',
      orderLinkId: '',
      symbol: 'BTCUSDT',
      side: 'buy',
      price: '100000',
      quantity: '0.03',
      fee: '0.3',
      feeCurrency: 'USDT',
      feeRate: '0.0001',
      executedAt: new Date(1765612800000),
      kind: 'funding',
    });
  });

  it('received funding keeps its sign (a negative fee is money in)', () => {
    expect(executionViewFromBybit({ ...fundingRow, side: 'Sell', execFee: '-0.3' })).toMatchObject({ kind: 'funding', side: 'sell', fee: '-0.3' });
  });

  it('is never an order fill, and only funding is a funding settlement', () => {
    const funding = executionViewFromBybit(fundingRow);
    const trade = executionViewFromBybit({ ...fundingRow, execType: 'Trade', orderLinkId: 'lw1o0a0l0abc' });
    const bust = executionViewFromBybit({ ...fundingRow, execType: 'BustTrade' });
    expect([funding, trade, bust].map((e) => e && [e.kind, isOrderFill(e), isFundingSettlement(e)])).toEqual([
      ['funding', false, true],
      ['trade', true, false],
      ['exchange_close', false, false],
    ]);
  });

  it.each([
    ['Trade', 'trade'],
    ['Funding', 'funding'],
    ['BustTrade', 'exchange_close'],
    ['AdlTrade', 'exchange_close'],
    ['Delivery', 'exchange_close'],
    ['Settle', 'exchange_close'],
    ['SessionSettlePnL', 'exchange_close'],
    ['BlockTrade', null],
    ['MovePosition', null],
    ['FutureSpread', null],
    ['UNKNOWN', null],
  ])('execType %s is %s', (execType, kind) => {
    expect(executionKindFromBybit(execType)).toBe(kind);
  });
});
