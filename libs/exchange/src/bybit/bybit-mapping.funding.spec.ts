import { isFundingSettlement, isOrderFill } from '../exchange.port';
import { executionKindFromBybit, executionViewFromBybit } from './bybit-mapping';

/**
 * A funding settlement as /v5/execution/list reports it (docs/v5/order/execution.mdx fields;
 * docs/v5/enum.mdx#exectype `Funding`): no order, execQty = the position's size, execFee = the
 * funding paid (positive) or received (negative), feeRate = the funding rate, side = the side
 * opposite to the position (a long paying at a positive rate shows `Sell`, as in Bybit's example).
 */
const fundingRow = {
  symbol: 'BTCUSDT',
  orderType: 'UNKNOWN',
  orderLinkId: '',
  side: 'Sell',
  orderId: '1765612800-BTCUSDT-1-Sell',
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
  it('is mapped as funding on the long position it charged, with its size, the funding paid and the rate', () => {
    expect(executionViewFromBybit(fundingRow)).toEqual({
      execId: 'f2b6d3e1-0000-4000-8000-000000000001',
      exchangeOrderId: '1765612800-BTCUSDT-1-Sell',
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
      driftCause: null,
    });
  });

  it("ccxt's recorded Funding row (bybit.js parseIncome): a long receiving at a negative rate", () => {
    const ccxtRow = {
      symbol: 'XMRUSDT',
      orderType: 'UNKNOWN',
      orderLinkId: '',
      orderId: 'a11e5fe2-1dbf-4bab-a9b2-af80a14efc5d',
      execTime: '1710950400000',
      feeCurrency: '',
      feeRate: '-0.000761',
      markPrice: '136.79',
      execPrice: '137.11',
      execValue: '134.3678',
      closedSize: '0',
      execType: 'Funding',
      side: 'Sell',
      isMaker: false,
      execFee: '-0.10232512',
      execId: '8d1ef156-4ec6-4445-9a6c-1c0c24dbd046',
      execQty: '0.98',
    };
    expect(executionViewFromBybit(ccxtRow)).toMatchObject({
      kind: 'funding',
      driftCause: null,
      side: 'buy',
      quantity: '0.98',
      fee: '-0.10232512',
      feeRate: '-0.000761',
      feeCurrency: 'USDT',
    });
  });

  it('a short position charged shows Buy on the row and sell in the view', () => {
    expect(executionViewFromBybit({ ...fundingRow, side: 'Buy', execFee: '-0.3' })).toMatchObject({
      kind: 'funding',
      driftCause: null,
      side: 'sell',
      fee: '-0.3',
    });
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
