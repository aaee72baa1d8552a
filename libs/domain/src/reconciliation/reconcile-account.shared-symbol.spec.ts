import { reconcileAccount } from './reconcile-account';
import type { TrackedPosition } from './expected-exposure';

// Two baskets in one account both hold BTCUSDT. One-way mode keeps ONE BTCUSDT position on the
// exchange, so a manual reduction cannot be attributed to either basket.
const a: TrackedPosition = {
  positionId: 'pos-a',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '60000' },
    { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '1.00', entryPrice: '3000' },
  ],
};
const b: TrackedPosition = {
  positionId: 'pos-b',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'SOLUSDT', side: 'buy', quantity: '10.0', entryPrice: '150' },
    { legIndex: 1, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '61000' },
  ],
};

describe('reconcileAccount: two positions share BTCUSDT', () => {
  it('one reduction flags BOTH positions, each BTC leg with the shared explanation and no per-leg actual', () => {
    const result = reconcileAccount(
      [b, a],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.15', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '1', markPrice: null },
        { symbol: 'SOLUSDT', side: 'long', size: '10', markPrice: null },
      ],
    );

    const shared = 'BTCUSDT (shared by 2 positions: pos-a, pos-b): expected 0.200 in total, actual 0.150, Δ −0.050';
    expect(result.positions.map((p) => [p.positionId, p.health])).toEqual([
      ['pos-a', 'ALTERED'],
      ['pos-b', 'ALTERED'],
    ]);
    expect(result.positions[0]?.legs[0]).toEqual({
      legIndex: 0,
      symbol: 'BTCUSDT',
      expected: '0.1',
      actual: null,
      delta: '-0.05',
      sharedWith: ['pos-b'],
      explanation: shared,
    });
    expect(result.positions[1]?.legs[1]).toEqual({
      legIndex: 1,
      symbol: 'BTCUSDT',
      expected: '0.1',
      actual: null,
      delta: '-0.05',
      sharedWith: ['pos-a'],
      explanation: shared,
    });
    // The legs that are alone in their symbol keep their own figures.
    expect(result.positions[0]?.legs[1]).toMatchObject({ symbol: 'ETHUSDT', actual: '1', delta: '0', sharedWith: [] });
    expect(result.symbols.find((s) => s.symbol === 'BTCUSDT')).toEqual({
      symbol: 'BTCUSDT',
      hedgeSide: null,
      expected: '0.2',
      actual: '0.15',
      delta: '-0.05',
      positionIds: ['pos-a', 'pos-b'],
    });
  });

  it('both are IN_SYNC when the exchange holds the sum of their legs', () => {
    const result = reconcileAccount(
      [a, b],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.2', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '1', markPrice: null },
        { symbol: 'SOLUSDT', side: 'long', size: '10', markPrice: null },
      ],
    );
    expect(result.positions.map((p) => p.health)).toEqual(['IN_SYNC', 'IN_SYNC']);
    expect(result.positions[0]?.legs[0]?.explanation).toBe(
      'BTCUSDT (shared by 2 positions: pos-a, pos-b): expected 0.200 in total, actual 0.200, Δ 0.000',
    );
  });

  it('a long and a short basket in the same symbol net out on the exchange', () => {
    const short: TrackedPosition = {
      positionId: 'pos-s',
      status: 'ACTIVE',
      legs: [{ legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.100', entryPrice: '60000' }],
    };
    const result = reconcileAccount(
      [{ ...a, legs: [a.legs[0]!] }, short],
      [{ symbol: 'BTCUSDT', side: 'flat', size: '0', markPrice: null }],
    );
    expect(result.positions.map((p) => p.health)).toEqual(['IN_SYNC', 'IN_SYNC']);
    expect(result.positions[1]?.legs[0]).toMatchObject({ expected: '-0.1', actual: null, delta: '0' });
  });

  it('two legs of ONE basket in the same symbol are not split either', () => {
    const twice: TrackedPosition = {
      positionId: 'pos-t',
      status: 'ACTIVE',
      legs: [
        { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '60000' },
        { legIndex: 1, symbol: 'BTCUSDT', side: 'buy', quantity: '0.050', entryPrice: '60000' },
      ],
    };
    const result = reconcileAccount([twice], [{ symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: null }]);
    expect(result.positions[0]?.health).toBe('ALTERED');
    expect(result.positions[0]?.legs.map((l) => [l.expected, l.actual, l.delta, l.explanation])).toEqual([
      ['0.1', null, '-0.05', 'BTCUSDT (held by 2 legs of this position): expected 0.150 in total, actual 0.100, Δ −0.050'],
      ['0.05', null, '-0.05', 'BTCUSDT (held by 2 legs of this position): expected 0.150 in total, actual 0.100, Δ −0.050'],
    ]);
  });
});
