import { pnlOnOpenedQuantities, pnlOnOpenedQuantitiesOfEach } from './pnl-on-opened-quantities';
import { reconcileAccount } from './reconcile-account';
import type { TrackedLeg } from './expected-exposure';

// Seed 000: P&L is always on the quantities the platform ORIGINALLY opened, even after the user
// altered the exchange position by hand.
const opened: TrackedLeg[] = [
  { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '60000' },
  { legIndex: 1, symbol: 'ETHUSDT', side: 'sell', quantity: '2.00', entryPrice: '3000' },
];
const marks = new Map([
  ['BTCUSDT', '62000'],
  ['ETHUSDT', '2900.5'],
]);

describe('pnlOnOpenedQuantities', () => {
  it('values a long leg (mark − entry) × qty and a short leg the other way round', () => {
    expect(pnlOnOpenedQuantities(opened, marks)).toEqual({
      pnlUsdt: '399',
      perLeg: [
        { legIndex: 0, symbol: 'BTCUSDT', pnlUsdt: '200' },
        { legIndex: 1, symbol: 'ETHUSDT', pnlUsdt: '199' },
      ],
      missingPrices: [],
    });
  });

  it('stays on the opened quantities after the user halved BTC by hand (the position is ALTERED, its P&L is not halved)', () => {
    const reconciliation = reconcileAccount(
      [{ positionId: 'pos-1', status: 'ACTIVE', legs: opened }],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.05', markPrice: '62000' },
        { symbol: 'ETHUSDT', side: 'short', size: '2', markPrice: '2900.5' },
      ],
    );
    expect(reconciliation.positions[0]?.health).toBe('ALTERED');
    expect(pnlOnOpenedQuantities(opened, marks).perLeg[0]).toEqual({ legIndex: 0, symbol: 'BTCUSDT', pnlUsdt: '200' });
  });

  it('is exact where floats are not (0.1 + 0.2 style quantities, 8-decimal prices)', () => {
    const legs: TrackedLeg[] = [
      { legIndex: 0, symbol: 'AUSDT', side: 'buy', quantity: '0.1', entryPrice: '0.00000001' },
      { legIndex: 1, symbol: 'BUSDT', side: 'buy', quantity: '0.2', entryPrice: '0.00000001' },
      { legIndex: 2, symbol: 'CUSDT', side: 'buy', quantity: '12345678.12345678', entryPrice: '65000.12345678' },
    ];
    const prices = new Map([
      ['AUSDT', '0.00000002'],
      ['BUSDT', '0.00000002'],
      ['CUSDT', '65000.12345679'],
    ]);
    const result = pnlOnOpenedQuantities(legs, prices);
    expect(result.perLeg.map((l) => l.pnlUsdt)).toEqual(['0.000000001', '0.000000002', '0.1234567812345678']);
    expect(result.pnlUsdt).toBe('0.1234567842345678');
  });

  it('names legs without a mark price instead of valuing them at 0', () => {
    const result = pnlOnOpenedQuantities(opened, new Map([['ETHUSDT', '3000']]));
    expect(result).toEqual({ pnlUsdt: '0', perLeg: [{ legIndex: 1, symbol: 'ETHUSDT', pnlUsdt: '0' }], missingPrices: ['BTCUSDT'] });
  });

  it('refuses a price that is not a positive decimal', () => {
    expect(() =>
      pnlOnOpenedQuantities(
        opened,
        new Map([
          ['BTCUSDT', '0'],
          ['ETHUSDT', '1'],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }));
    expect(() =>
      pnlOnOpenedQuantities(
        opened,
        new Map([
          ['BTCUSDT', '6.2e4'],
          ['ETHUSDT', '1'],
        ]),
      ),
    ).toThrow(/not a non-negative decimal/);
  });

  it('values every position of an account at one set of marks exactly as one at a time; a bad mark no leg uses is no error', () => {
    const short: TrackedLeg[] = [{ legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.05', entryPrice: '61000' }];
    const withUnused = new Map([...marks, ['XRPUSDT', 'not a price']]);
    expect(pnlOnOpenedQuantitiesOfEach([opened, short, []], withUnused)).toEqual([
      pnlOnOpenedQuantities(opened, marks),
      pnlOnOpenedQuantities(short, marks),
      { pnlUsdt: '0', perLeg: [], missingPrices: [] },
    ]);
    expect(pnlOnOpenedQuantitiesOfEach([short], marks)[0]?.pnlUsdt).toBe('-50');
  });
});
