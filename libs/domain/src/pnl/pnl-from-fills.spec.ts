import { DomainError } from '../errors/domain-error';
import { pnlFromFills, PnlFill } from './pnl-from-fills';

const longBasket: PnlFill[] = [
  { symbol: 'BTCUSDT', side: 'buy', price: '60000', quantity: '0.006', feeUsdt: '0.198' },
  { symbol: 'ETHUSDT', side: 'buy', price: '3000', quantity: '0.08', feeUsdt: '0.132' },
];

describe('pnlFromFills', () => {
  it('an ACTIVE long basket: unrealised = net × (mark − entry), fees apart, total net of fees', () => {
    const pnl = pnlFromFills(
      longBasket,
      new Map([
        ['BTCUSDT', '61000'],
        ['ETHUSDT', '2950.5'],
      ]),
    );
    expect(pnl).toEqual({
      realisedUsdt: '0',
      unrealisedUsdt: '2.04', // 0.006 × 1000 − 0.08 × 49.5
      feesUsdt: '0.33',
      totalUsdt: '1.71',
      netRealisedUsdt: '-0.33',
      perSymbol: [
        {
          symbol: 'BTCUSDT',
          netQuantity: '0.006',
          entryPrice: '60000',
          markPrice: '61000',
          realisedUsdt: '0',
          unrealisedUsdt: '6',
          feesUsdt: '0.198',
        },
        {
          symbol: 'ETHUSDT',
          netQuantity: '0.08',
          entryPrice: '3000',
          markPrice: '2950.5',
          realisedUsdt: '0',
          unrealisedUsdt: '-3.96',
          feesUsdt: '0.132',
        },
      ],
      missingPrices: [],
    });
  });

  it('a CLOSED basket: Σ sell value − Σ buy value − all fees, no mark price needed', () => {
    const closed = pnlFromFills([
      ...longBasket,
      { symbol: 'BTCUSDT', side: 'sell', price: '59000.5', quantity: '0.006', feeUsdt: '0.1947' },
      { symbol: 'ETHUSDT', side: 'sell', price: '3100', quantity: '0.05', feeUsdt: '0.085' },
      { symbol: 'ETHUSDT', side: 'sell', price: '3101', quantity: '0.03', feeUsdt: '0.051' },
    ]);
    // BTC: 354.003 − 360 = −5.997; ETH: 155 + 93.03 − 240 = 8.03; fees 0.6607
    expect(closed).toMatchObject({
      realisedUsdt: '2.033',
      unrealisedUsdt: '0',
      feesUsdt: '0.6607',
      totalUsdt: '1.3723',
      netRealisedUsdt: '1.3723',
      missingPrices: [],
    });
    expect(closed.perSymbol.map((s) => [s.symbol, s.netQuantity, s.entryPrice, s.realisedUsdt])).toEqual([
      ['BTCUSDT', '0', null, '-5.997'],
      ['ETHUSDT', '0', null, '8.03'],
    ]);
  });

  it('a short leg gains when the price falls; a rebate (negative fee) adds to the total', () => {
    const pnl = pnlFromFills(
      [{ symbol: 'XRPUSDT', side: 'sell', price: '0.6', quantity: '100', feeUsdt: '-0.01' }],
      new Map([['XRPUSDT', '0.55']]),
    );
    expect(pnl).toMatchObject({ unrealisedUsdt: '5', feesUsdt: '-0.01', totalUsdt: '5.01' });
    expect(pnl.perSymbol[0]).toMatchObject({ netQuantity: '-100', entryPrice: '0.6' });
  });

  it('a partly closed leg: realised on the matched quantity at average prices, the rest unrealised', () => {
    const pnl = pnlFromFills(
      [
        { symbol: 'BTCUSDT', side: 'buy', price: '100', quantity: '1', feeUsdt: '0' },
        { symbol: 'BTCUSDT', side: 'buy', price: '110', quantity: '1', feeUsdt: '0' },
        { symbol: 'BTCUSDT', side: 'sell', price: '120', quantity: '1', feeUsdt: '0' },
      ],
      new Map([['BTCUSDT', '130']]),
    );
    expect(pnl.perSymbol[0]).toEqual({
      symbol: 'BTCUSDT',
      netQuantity: '1',
      entryPrice: '105',
      markPrice: '130',
      realisedUsdt: '15',
      unrealisedUsdt: '25',
      feesUsdt: '0',
    });
    expect(pnl.totalUsdt).toBe('40'); // = 120 − 210 + 1 × 130
  });

  it('a held symbol without a mark price: unrealised and total are null, the symbol is named, realised still shown', () => {
    const pnl = pnlFromFills(longBasket, new Map([['BTCUSDT', '61000']]));
    expect(pnl).toMatchObject({
      unrealisedUsdt: null,
      totalUsdt: null,
      netRealisedUsdt: '-0.33',
      missingPrices: ['ETHUSDT'],
      realisedUsdt: '0',
      feesUsdt: '0.33',
    });
    expect(pnl.perSymbol[1]).toMatchObject({ symbol: 'ETHUSDT', markPrice: null, unrealisedUsdt: null });
  });

  it('no fills: zero everywhere', () => {
    expect(pnlFromFills([])).toEqual({
      realisedUsdt: '0',
      unrealisedUsdt: '0',
      feesUsdt: '0',
      totalUsdt: '0',
      netRealisedUsdt: '0',
      perSymbol: [],
      missingPrices: [],
    });
  });

  it('refuses a float-looking or negative price', () => {
    expect(() => pnlFromFills([{ symbol: 'BTCUSDT', side: 'buy', price: '1e5', quantity: '1', feeUsdt: '0' }])).toThrow(DomainError);
    expect(() => pnlFromFills([{ symbol: 'BTCUSDT', side: 'buy', price: '-1', quantity: '1', feeUsdt: '0' }])).toThrow(/price of fill 0/);
  });
});
