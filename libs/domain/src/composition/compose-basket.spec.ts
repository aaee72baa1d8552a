import { composeBasket, InstrumentRules } from './compose-basket';

// Lot-size rules as Bybit lists them for these perpetuals (shared/data/bybit-v5/instruments-linear-usdt.json).
const rules = (symbol: string, qtyStep: string, minOrderQty: string, max = '1000000', minNotional = '5'): InstrumentRules => ({
  symbol,
  status: 'trading',
  qtyStep,
  minOrderQty,
  maxMarketOrderQty: max,
  minNotionalUsdt: minNotional,
});
const instruments = new Map([
  ['BTCUSDT', rules('BTCUSDT', '0.001', '0.001', '119.000')],
  ['ETHUSDT', rules('ETHUSDT', '0.01', '0.01', '1220.00')],
  ['XRPUSDT', rules('XRPUSDT', '1', '1')],
]);
const prices = new Map([
  ['BTCUSDT', '60000'],
  ['ETHUSDT', '3000'],
  ['XRPUSDT', '0.6'],
]);

describe('composeBasket', () => {
  it('splits the notional by weight and rounds each quantity down to the qty step', () => {
    const legs = composeBasket({
      weights: [
        { symbol: 'BTCUSDT', weight: '40' },
        { symbol: 'ETHUSDT', weight: '35' },
        { symbol: 'XRPUSDT', weight: '25' },
      ],
      notionalUsdt: '1000',
      direction: 'long',
      instruments,
      markPrices: prices,
    });
    expect(legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([
      ['BTCUSDT', 'buy', '0.006'], // 400 / 60000 = 0.00666… → 0.006
      ['ETHUSDT', 'buy', '0.11'], // 350 / 3000 = 0.11666… → 0.11
      ['XRPUSDT', 'buy', '416'], // 250 / 0.6 = 416.66… → 416
    ]);
    expect(legs[0]?.targetNotionalUsdt).toBe('400.00000000');
    expect(legs[0]?.estimatedNotionalUsdt).toBe('360.00000000');
  });

  it('sells every leg of a short basket', () => {
    const legs = composeBasket({
      weights: [{ symbol: 'ETHUSDT', weight: '1' }],
      notionalUsdt: '300',
      direction: 'short',
      instruments,
      markPrices: prices,
    });
    expect(legs).toEqual([expect.objectContaining({ side: 'sell', quantity: '0.10', weightFraction: '1' })]);
  });

  it('refuses the basket, naming the leg, when a leg falls below the minimum order quantity', () => {
    const run = () =>
      composeBasket({
        weights: [
          { symbol: 'BTCUSDT', weight: '1' },
          { symbol: 'ETHUSDT', weight: '99' },
        ],
        notionalUsdt: '1000',
        direction: 'long',
        instruments,
        markPrices: prices,
      });
    expect(run).toThrow(/BTCUSDT quantity 0 is below the minimum order quantity 0.001/);
    expect(run).toThrow(
      expect.objectContaining({
        code: 'COMPOSITION.LEG_VIOLATES_LOT_SIZE',
        details: { violations: [expect.objectContaining({ symbol: 'BTCUSDT', rule: 'below_min_qty' })] },
      }),
    );
  });

  it('refuses a basket with a constituent the exchange does not list, with its own code, before any lot-size check', () => {
    const run = () =>
      composeBasket({
        weights: [
          { symbol: 'BTCUSDT', weight: '1' }, // also below the minimum quantity at this notional
          { symbol: 'SOLUSDT', weight: '99' },
        ],
        notionalUsdt: '1000',
        direction: 'long',
        instruments,
        markPrices: prices,
      });
    expect(run).toThrow(expect.objectContaining({ code: 'COMPOSITION.INSTRUMENT_NOT_LISTED', details: { symbols: ['SOLUSDT'] } }));
    expect(run).toThrow(/SOLUSDT is not listed by the exchange/);
  });

  it('refuses a basket with a listed constituent that is not trading, naming the symbol and its status', () => {
    const settling = new Map(instruments);
    settling.set('ETHUSDT', { ...rules('ETHUSDT', '0.01', '0.01'), status: 'delivering' });
    settling.set('XRPUSDT', { ...rules('XRPUSDT', '1', '1'), status: 'closed' });
    const run = () =>
      composeBasket({
        weights: [
          { symbol: 'BTCUSDT', weight: '40' },
          { symbol: 'ETHUSDT', weight: '35' },
          { symbol: 'XRPUSDT', weight: '25' },
        ],
        notionalUsdt: '1000',
        direction: 'short',
        instruments: settling,
        markPrices: prices,
      });
    expect(run).toThrow(
      expect.objectContaining({
        code: 'COMPOSITION.INSTRUMENT_NOT_TRADING',
        details: {
          instruments: [
            { symbol: 'ETHUSDT', status: 'delivering' },
            { symbol: 'XRPUSDT', status: 'closed' },
          ],
        },
      }),
    );
    expect(run).toThrow(/ETHUSDT is not trading \(status delivering\); XRPUSDT is not trading \(status closed\)/);
  });

  it('refuses a leg under the minimum notional and a leg over the maximum market quantity', () => {
    const tight = new Map([
      ['XRPUSDT', rules('XRPUSDT', '1', '1', '100', '5')],
      ['ETHUSDT', rules('ETHUSDT', '0.01', '0.01', '1220', '50')],
    ]);
    expect(() =>
      composeBasket({
        weights: [
          { symbol: 'XRPUSDT', weight: '1' },
          { symbol: 'ETHUSDT', weight: '1' },
        ],
        notionalUsdt: '80',
        direction: 'long',
        instruments: tight,
        markPrices: new Map([
          ['XRPUSDT', '0.01'],
          ['ETHUSDT', '3000'],
        ]),
      }),
    ).toThrow(
      expect.objectContaining({
        details: {
          violations: [
            expect.objectContaining({ symbol: 'XRPUSDT', rule: 'above_max_market_qty' }),
            expect.objectContaining({ symbol: 'ETHUSDT', rule: 'below_min_notional' }),
          ],
        },
      }),
    );
  });

  it('refuses unknown instruments, missing prices and non-positive inputs', () => {
    const base = { direction: 'long' as const, instruments, markPrices: prices };
    expect(() => composeBasket({ ...base, weights: [{ symbol: 'FOOUSDT', weight: '1' }], notionalUsdt: '100' })).toThrow(
      /FOOUSDT is not listed by the exchange/,
    );
    expect(() =>
      composeBasket({ ...base, markPrices: new Map(), weights: [{ symbol: 'BTCUSDT', weight: '1' }], notionalUsdt: '100' }),
    ).toThrow(/BTCUSDT has no mark price/);
    expect(() => composeBasket({ ...base, weights: [{ symbol: 'BTCUSDT', weight: '1' }], notionalUsdt: '0' })).toThrow(
      expect.objectContaining({ code: 'COMPOSITION.INVALID_INPUT' }),
    );
    expect(() => composeBasket({ ...base, weights: [{ symbol: 'BTCUSDT', weight: '-1' }], notionalUsdt: '10' })).toThrow(
      /weight of BTCUSDT must be a positive number/,
    );
    expect(() => composeBasket({ ...base, weights: [], notionalUsdt: '10' })).toThrow(/no components/);
  });
});
