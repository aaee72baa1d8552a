import { actualExposure } from './exchange-reports';
import type { TrackedPosition } from './expected-exposure';
import { hedgeSideOfLeg } from './position-slot';
import { reconcileAccount } from './reconcile-account';

// One hedge-mode account holds a long basket and a short basket that share BTCUSDT. Bybit keeps
// them apart (positionIdx 1 = long side, 2 = short side), so each basket has its own exchange
// position and a change on one side says nothing about the other.
const long: TrackedPosition = {
  positionId: 'pos-long',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'BTCUSDT', side: 'buy', quantity: '0.004', entryPrice: '60000', hedgeSide: hedgeSideOfLeg('hedge', 'buy') },
    { legIndex: 1, symbol: 'ETHUSDT', side: 'buy', quantity: '0.10', entryPrice: '3000', hedgeSide: 'long' },
  ],
};
const short: TrackedPosition = {
  positionId: 'pos-short',
  status: 'ACTIVE',
  legs: [
    { legIndex: 0, symbol: 'BTCUSDT', side: 'sell', quantity: '0.004', entryPrice: '60100', hedgeSide: hedgeSideOfLeg('hedge', 'sell') },
  ],
};

const btcLong = (size: string) => ({ symbol: 'BTCUSDT', side: 'long' as const, size, markPrice: '60500', hedgeSide: 'long' as const });
const btcShort = (size: string) => ({ symbol: 'BTCUSDT', side: 'short' as const, size, markPrice: '60500', hedgeSide: 'short' as const });
const ethLong = { symbol: 'ETHUSDT', side: 'long' as const, size: '0.1', markPrice: '3050', hedgeSide: 'long' as const };
const ethShortFlat = { symbol: 'ETHUSDT', side: 'flat' as const, size: '0', markPrice: '3050', hedgeSide: 'short' as const };

describe('reconcileAccount: a long and a short basket share BTCUSDT on one hedge-mode account', () => {
  it('both are IN_SYNC: the two sides are two positions, each sole holder of its own side', () => {
    const result = reconcileAccount([long, short], [btcLong('0.004'), btcShort('0.004'), ethLong, ethShortFlat]);

    expect(result.positions.map((p) => [p.positionId, p.health])).toEqual([
      ['pos-long', 'IN_SYNC'],
      ['pos-short', 'IN_SYNC'],
    ]);
    expect(result.symbols).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: 'long', expected: '0.004', actual: '0.004', delta: '0', positionIds: ['pos-long'] },
      { symbol: 'BTCUSDT', hedgeSide: 'short', expected: '-0.004', actual: '-0.004', delta: '0', positionIds: ['pos-short'] },
      { symbol: 'ETHUSDT', hedgeSide: 'long', expected: '0.1', actual: '0.1', delta: '0', positionIds: ['pos-long'] },
    ]);
    // Not "shared": in one-way mode these two legs would net to 0 and neither could be told apart.
    expect(result.positions[1]?.legs[0]).toMatchObject({ actual: '-0.004', sharedWith: [] });
  });

  it('a manual reduction of the short side alters only the short basket, never the long one', () => {
    const result = reconcileAccount([long, short], [btcLong('0.004'), btcShort('0.002'), ethLong]);

    expect(result.positions.map((p) => [p.positionId, p.health])).toEqual([
      ['pos-long', 'IN_SYNC'],
      ['pos-short', 'ALTERED'],
    ]);
    expect(result.positions[1]?.legs).toEqual([
      {
        legIndex: 0,
        symbol: 'BTCUSDT',
        expected: '-0.004',
        actual: '-0.002',
        delta: '0.002',
        sharedWith: [],
        explanation: 'BTCUSDT short side: expected \u22120.004, actual \u22120.002, Δ +0.002',
      },
    ]);
    expect(result.positions[0]?.legs[0]).toMatchObject({
      delta: '0',
      explanation: 'BTCUSDT long side: expected 0.004, actual 0.004, Δ 0.000',
    });
  });

  it('a manual reduction of the long side alters only the long basket; the text names the side', () => {
    const result = reconcileAccount([long, short], [btcLong('0.002'), btcShort('0.004'), ethLong]);

    expect(result.positions.map((p) => p.health)).toEqual(['ALTERED', 'IN_SYNC']);
    expect(result.positions[0]?.legs[0]?.explanation).toBe('BTCUSDT long side: expected 0.004, actual 0.002, Δ \u22120.002');
  });

  it('the short side closed by hand is read as flat on that side only (the long side row is untouched)', () => {
    const closed = { symbol: 'BTCUSDT', side: 'flat' as const, size: '0', markPrice: null, hedgeSide: 'short' as const };
    const result = reconcileAccount([long, short], [btcLong('0.004'), closed, ethLong]);

    expect(result.symbols.filter((s) => s.symbol === 'BTCUSDT')).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: 'long', expected: '0.004', actual: '0.004', delta: '0', positionIds: ['pos-long'] },
      { symbol: 'BTCUSDT', hedgeSide: 'short', expected: '-0.004', actual: '0', delta: '0.004', positionIds: ['pos-short'] },
    ]);
    expect(result.positions.map((p) => p.health)).toEqual(['IN_SYNC', 'ALTERED']);
  });

  it('two long baskets on the long side still share it, and the shared text names the side', () => {
    const second: TrackedPosition = { ...long, positionId: 'pos-long-2', legs: [{ ...(long.legs[0] as TrackedPosition['legs'][number]) }] };
    const result = reconcileAccount([long, second, short], [btcLong('0.006'), btcShort('0.004'), ethLong]);

    expect(result.positions.map((p) => [p.positionId, p.health])).toEqual([
      ['pos-long', 'ALTERED'],
      ['pos-long-2', 'ALTERED'],
      ['pos-short', 'IN_SYNC'],
    ]);
    expect(result.positions[1]?.legs[0]).toMatchObject({
      actual: null,
      explanation: 'BTCUSDT long side (shared by 2 positions: pos-long, pos-long-2): expected 0.008 in total, actual 0.006, Δ \u22120.002',
    });
  });
});

describe('actualExposure: hedge-mode rows', () => {
  it('two rows of one symbol on different sides are two positions, not a conflict', () => {
    const result = actualExposure([btcShort('0.002'), btcLong('0.004'), btcLong('0.0040')]);
    expect([...result.keys()]).toEqual(['BTCUSDT:long', 'BTCUSDT:short']);
    expect([...result.values()].map((e) => [e.hedgeSide, e.signedSize])).toEqual([
      ['long', '0.004'],
      ['short', '-0.002'],
    ]);
  });

  it('copies of one side that disagree still throw, naming the side', () => {
    expect(() => actualExposure([btcShort('0.002'), btcShort('0.003')])).toThrow(
      expect.objectContaining({
        code: 'RECONCILIATION.CONFLICTING_REPORTS',
        message: 'the exchange reported BTCUSDT short side twice with different positions: short 0.002 and short 0.003',
        details: { symbol: 'BTCUSDT', hedgeSide: 'short', reported: ['short 0.002', 'short 0.003'] },
      }),
    );
  });

  it('refuses a short position reported on the long side, and an unknown hedge side', () => {
    expect(() => actualExposure([{ ...btcShort('0.002'), hedgeSide: 'long' }])).toThrow(
      expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT', message: "the exchange's BTCUSDT is short on the long side" }),
    );
    expect(() => actualExposure([{ ...btcLong('0.002'), hedgeSide: 'both' as never }])).toThrow(
      expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT' }),
    );
  });

  it('refuses a tracked sell leg on the long side (it could never be there)', () => {
    const wrong: TrackedPosition = { ...short, legs: [{ ...(short.legs[0] as TrackedPosition['legs'][number]), hedgeSide: 'long' }] };
    expect(() => reconcileAccount([wrong], [])).toThrow(
      expect.objectContaining({ code: 'RECONCILIATION.INVALID_INPUT', message: 'position pos-short leg 0 is short on the long side' }),
    );
  });
});
