import { basketMarginRefusalReason, decideBasketMargin } from './basket-margin';

const legs = [
  { legIndex: 0, symbol: 'BTCUSDT', estimatedNotionalUsdt: '400' },
  { legIndex: 1, symbol: 'ETHUSDT', estimatedNotionalUsdt: '300' },
  { legIndex: 2, symbol: 'XRPUSDT', estimatedNotionalUsdt: '200' },
  { legIndex: 3, symbol: 'DOGEUSDT', estimatedNotionalUsdt: '100' },
];

describe('whole-basket margin at 1x', () => {
  it('a basket that fits whole: no refusal; margin = Σ notional, fee buffer = notional × taker rate × 2', () => {
    const d = decideBasketMargin({ legs, availableBalanceUsdt: '10000' });
    expect(d).toEqual({
      initialMarginUsdt: '1000.00000000',
      feeBufferUsdt: '1.10000000',
      requiredUsdt: '1001.10000000',
      availableBalanceUsdt: '10000',
      refused: [],
    });
  });

  it('the fee buffer alone can refuse: exactly the notional available is not enough', () => {
    const d = decideBasketMargin({ legs, availableBalanceUsdt: '1000' });
    expect(d.refused.map((r) => r.symbol)).toEqual(['DOGEUSDT']);
    expect(d.refused[0]).toEqual({ legIndex: 3, symbol: 'DOGEUSDT', costUsdt: '100.11000000', cumulativeCostUsdt: '1001.10000000' });
  });

  it('names every leg from the first that would not fit (seed 000: the halt becomes a refusal before leg 1)', () => {
    const d = decideBasketMargin({ legs, availableBalanceUsdt: '650' });
    expect(d.refused.map((r) => [r.legIndex, r.cumulativeCostUsdt])).toEqual([
      [1, '700.77000000'],
      [2, '900.99000000'],
      [3, '1001.10000000'],
    ]);
    expect(basketMarginRefusalReason(d)).toBe(
      "the account's available balance (650 USDT) cannot carry the whole basket at 1x: it needs 1001.1 USDT " +
        '(initial margin 1000 + fee buffer 1.1); legs that would not fit: leg 1 ETHUSDT (cumulative 700.77 USDT), ' +
        'leg 2 XRPUSDT (cumulative 900.99 USDT), leg 3 DOGEUSDT (cumulative 1001.1 USDT); no order was sent',
    );
  });

  it('takes another fee rate; a short leg counts by its absolute notional', () => {
    const d = decideBasketMargin({
      legs: [{ legIndex: 0, symbol: 'BTCUSDT', estimatedNotionalUsdt: '-500' }],
      availableBalanceUsdt: '500.5',
      takerFeeRate: '0.0005',
    });
    expect(d.requiredUsdt).toBe('500.50000000');
    expect(d.refused).toEqual([]);
  });
});
