import { expectedExposure } from '../reconciliation/expected-exposure';
import { hedgeSideOfLeg, slotKey } from '../reconciliation/position-slot';
import { advanceOrphans } from './advance-orphans';
import { OrphanCandidate, untrackedExposure } from './untracked-exposure';

// A hedge-mode account: Legwork tracks a long basket on BTCUSDT's long side. Someone opens a
// short by hand on the short side. In one-way mode the two would have netted into one smaller
// long and the short would have looked like a reduction of our basket; in hedge mode it is its
// own position, and nothing of ours explains it.
const none = new Set<string>();
const expected = new Map(
  [
    ...expectedExposure([
      {
        positionId: 'pos-long',
        status: 'ACTIVE',
        legs: [
          {
            legIndex: 0,
            symbol: 'BTCUSDT',
            side: 'buy',
            quantity: '0.004',
            entryPrice: '60000',
            hedgeSide: hedgeSideOfLeg('hedge', 'buy'),
          },
        ],
      },
    ]),
  ].map(([key, e]) => [key, e.signedQuantity]),
);
const trackedLong = { symbol: 'BTCUSDT', side: 'long' as const, size: '0.004', markPrice: '60500', hedgeSide: 'long' as const };
const manualShort = { symbol: 'BTCUSDT', side: 'short' as const, size: '0.003', markPrice: '60500', hedgeSide: 'short' as const };

describe('untrackedExposure in hedge mode', () => {
  it('an unexplained short side beside a tracked long side is an orphan on the short side', () => {
    expect([...expected.keys()]).toEqual(['BTCUSDT:long']);
    expect(untrackedExposure(expected, [trackedLong, manualShort], none)).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: 'short', side: 'short', size: '0.003', exchangeSize: '0.003', expectedSignedQuantity: '0' },
    ]);
  });

  it('the tracked long side itself is explained, and size beyond ours on it is an orphan of the long side only', () => {
    expect(untrackedExposure(expected, [trackedLong], none)).toEqual([]);
    expect(untrackedExposure(expected, [{ ...trackedLong, size: '0.005' }, manualShort], none)).toEqual([
      { symbol: 'BTCUSDT', hedgeSide: 'long', side: 'long', size: '0.001', exchangeSize: '0.005', expectedSignedQuantity: '0.004' },
      { symbol: 'BTCUSDT', hedgeSide: 'short', side: 'short', size: '0.003', exchangeSize: '0.003', expectedSignedQuantity: '0' },
    ]);
  });

  it('grace on one side (a basket still executing there) leaves the other side watched; a bare symbol covers both', () => {
    expect(untrackedExposure(expected, [trackedLong, manualShort], new Set([slotKey('BTCUSDT', 'long')]))).toHaveLength(1);
    expect(untrackedExposure(expected, [trackedLong, manualShort], new Set([slotKey('BTCUSDT', 'short')]))).toEqual([]);
    expect(untrackedExposure(expected, [trackedLong, manualShort], new Set(['BTCUSDT']))).toEqual([]);
  });

  it('is confirmed after two scans as an orphan of the short side, with its own streak beside a long-side orphan', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 9, minute));
    const first = advanceOrphans([], untrackedExposure(expected, [trackedLong, manualShort], none), at(0));
    expect(first.confirmed).toEqual([]);
    const grown = untrackedExposure(expected, [{ ...trackedLong, size: '0.005' }, manualShort], none);
    const second = advanceOrphans(first.next, grown, at(5));
    expect(second.confirmed).toEqual([
      {
        symbol: 'BTCUSDT',
        hedgeSide: 'short',
        side: 'short',
        size: '0.003',
        firstSeenAt: at(0),
        lastSeenAt: at(5),
        consecutiveScans: 2,
        status: 'confirmed',
      },
    ]);
    expect(second.next.map((s) => [s.hedgeSide, s.consecutiveScans, s.status])).toEqual([
      ['long', 1, 'suspected'],
      ['short', 2, 'confirmed'],
    ]);
    // The short side closed by hand: only that orphan resolves; the long-side one continues.
    const third = advanceOrphans(second.next, untrackedExposure(expected, [{ ...trackedLong, size: '0.005' }], none), at(10));
    expect(third.resolved.map((s) => s.hedgeSide)).toEqual(['short']);
    expect(third.confirmed.map((s) => s.hedgeSide)).toEqual(['long']);
  });

  it('one orphan per side: two candidates of one side in one scan are refused, two sides are not', () => {
    const short = untrackedExposure(expected, [manualShort], none)[0] as OrphanCandidate;
    const long: OrphanCandidate = { ...short, hedgeSide: 'long', side: 'long' };
    expect(() => advanceOrphans([], [short, long], new Date())).not.toThrow();
    expect(() => advanceOrphans([], [short, short], new Date())).toThrow(/BTCUSDT short side twice/);
  });
});
