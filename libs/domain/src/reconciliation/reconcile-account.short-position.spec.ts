import { reconcileAccount } from './reconcile-account';
import type { TrackedPosition } from './expected-exposure';

// A short basket sells every leg: expected exposure is negative, and so is the exchange's.
const short: TrackedPosition = {
  positionId: 'pos-short',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.100', entryPrice: '60000' },
    { legIndex: 1, symbol: 'ETHUSDT', side: 'sell', quantity: '2.00', entryPrice: '3000' },
  ],
};

describe('reconcileAccount: a short position', () => {
  it('matches a short exchange position of the same size', () => {
    const result = reconcileAccount(
      [short],
      [
        { symbol: 'BTCUSDT', side: 'short', size: '0.1', markPrice: null },
        { symbol: 'ETHUSDT', side: 'short', size: '2', markPrice: null },
      ],
    );
    expect(result.positions[0]?.health).toBe('IN_SYNC');
    expect(result.positions[0]?.legs[0]).toMatchObject({ expected: '-0.1', actual: '-0.1', delta: '0' });
  });

  it('a short reduced by hand has a positive Δ (the exchange holds less short)', () => {
    const result = reconcileAccount(
      [short],
      [
        { symbol: 'BTCUSDT', side: 'short', size: '0.05', markPrice: null },
        { symbol: 'ETHUSDT', side: 'short', size: '2', markPrice: null },
      ],
    );
    expect(result.positions[0]?.health).toBe('ALTERED');
    expect(result.positions[0]?.legs[0]).toEqual({
      legIndex: 0,
      symbol: 'BTCUSDT',
      expected: '-0.1',
      actual: '-0.05',
      delta: '0.05',
      sharedWith: [],
      explanation: 'BTCUSDT: expected −0.100, actual −0.050, Δ +0.050',
    });
  });

  it('a leg flipped to long by hand shows the full swing', () => {
    const result = reconcileAccount(
      [short],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: null },
        { symbol: 'ETHUSDT', side: 'short', size: '2', markPrice: null },
      ],
    );
    expect(result.positions[0]?.legs[0]?.explanation).toBe('BTCUSDT: expected −0.100, actual 0.100, Δ +0.200');
  });
});
