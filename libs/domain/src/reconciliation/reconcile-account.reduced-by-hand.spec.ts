import { reconcileAccount } from './reconcile-account';
import type { TrackedPosition } from './expected-exposure';

// Seed 000: "the user manually reduced a 0.1 BTC long position to 0.05" → flagged "Altered",
// showing exactly which asset changed and by how much.
const basket: TrackedPosition = {
  positionId: 'pos-1',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.100', entryPrice: '60000' },
    { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '1.50', entryPrice: '3000' },
  ],
};

describe('reconcileAccount: one position, BTC reduced by hand', () => {
  it('flags the position ALTERED and explains the BTC leg: expected 0.100, actual 0.050, Δ −0.050', () => {
    const result = reconcileAccount(
      [basket],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.05', markPrice: '61000' },
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: '3100' },
      ],
    );

    expect(result.positions).toEqual([
      {
        positionId: 'pos-1',
        health: 'ALTERED',
        legs: [
          {
            legIndex: 0,
            symbol: 'BTCUSDT',
            expected: '0.1',
            actual: '0.05',
            delta: '-0.05',
            sharedWith: [],
            explanation: 'BTCUSDT: expected 0.100, actual 0.050, Δ −0.050',
          },
          {
            legIndex: 1,
            symbol: 'ETHUSDT',
            expected: '1.5',
            actual: '1.5',
            delta: '0',
            sharedWith: [],
            explanation: 'ETHUSDT: expected 1.500, actual 1.500, Δ 0.000',
          },
        ],
      },
    ]);
    expect(result.symbols).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: null, expected: '0.1', actual: '0.05', delta: '-0.05', positionIds: ['pos-1'] },
      { symbol: 'ETHUSDT', hedgeSide: null, expected: '1.5', actual: '1.5', delta: '0', positionIds: ['pos-1'] },
    ]);
  });

  it('is IN_SYNC while the exchange holds exactly the legs ("0.10" and "0.1" are the same size)', () => {
    const result = reconcileAccount(
      [basket],
      [
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null },
        { symbol: 'BTCUSDT', side: 'long', size: '0.10', markPrice: null },
      ],
    );
    expect(result.positions[0]?.health).toBe('IN_SYNC');
  });

  it('a leg closed by hand shows actual 0 (the exchange no longer lists it, or lists it flat)', () => {
    const missing = reconcileAccount([basket], [{ symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null }]);
    const flat = reconcileAccount(
      [basket],
      [
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null },
        { symbol: 'BTCUSDT', side: 'flat', size: '0', markPrice: null },
      ],
    );
    expect(missing).toEqual(flat);
    expect(missing.positions[0]?.legs[0]?.explanation).toBe('BTCUSDT: expected 0.100, actual 0.000, Δ −0.100');
  });

  it('size added by hand is a deviation too, with a "+" Δ', () => {
    const result = reconcileAccount(
      [basket],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.15', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null },
      ],
    );
    expect(result.positions[0]?.health).toBe('ALTERED');
    expect(result.positions[0]?.legs[0]?.explanation).toBe('BTCUSDT: expected 0.100, actual 0.150, Δ +0.050');
  });

  it('shows a deviation finer than the leg precision in full instead of rounding it away', () => {
    const result = reconcileAccount(
      [basket],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.0995', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null },
      ],
    );
    expect(result.positions[0]?.legs[0]?.explanation).toBe('BTCUSDT: expected 0.1000, actual 0.0995, Δ −0.0005');
  });

  it('lists exposure no position holds as a symbol row with no positions, and skips untracked flat symbols', () => {
    const result = reconcileAccount(
      [basket],
      [
        { symbol: 'BTCUSDT', side: 'long', size: '0.1', markPrice: null },
        { symbol: 'ETHUSDT', side: 'long', size: '1.5', markPrice: null },
        { symbol: 'AVLUSDT', side: 'long', size: '86', markPrice: null },
        { symbol: 'DOGEUSDT', side: 'flat', size: '0', markPrice: null },
      ],
    );
    expect(result.symbols.map((s) => s.symbol)).toEqual(['AVLUSDT', 'BTCUSDT', 'ETHUSDT']);
    expect(result.symbols[0]).toEqual({ symbol: 'AVLUSDT', hedgeSide: null, expected: '0', actual: '86', delta: '86', positionIds: [] });
    // Exposure no position explains is the orphan monitor's finding, not this position's deviation.
    expect(result.positions[0]?.health).toBe('IN_SYNC');
  });

  it('a position with no legs left (nothing filled) is IN_SYNC with no legs', () => {
    const result = reconcileAccount([{ positionId: 'pos-0', status: 'FAILED', legs: [] }], []);
    expect(result).toEqual({ symbols: [], positions: [{ positionId: 'pos-0', health: 'IN_SYNC', legs: [] }] });
  });
});
