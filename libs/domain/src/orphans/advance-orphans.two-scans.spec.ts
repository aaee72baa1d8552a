import { advanceOrphans, OrphanState } from './advance-orphans';
import type { OrphanCandidate } from './untracked-exposure';

const at = (minute: number) => new Date(Date.UTC(2025, 9, 28, 8, minute));
const avl = (size = '86', side: 'long' | 'short' = 'long'): OrphanCandidate => ({
  symbol: 'AVLUSDT',
  hedgeSide: null,
  side,
  size,
  exchangeSize: size,
  expectedSignedQuantity: '0',
});

describe('advanceOrphans: confirmed after 2 consecutive scans, alerted once', () => {
  it('suspects on the first scan, confirms on the second, stays quiet on the third, resolves when gone', () => {
    const first = advanceOrphans([], [avl()], at(0));
    expect(first.next).toEqual([
      {
        symbol: 'AVLUSDT',
        hedgeSide: null,
        side: 'long',
        size: '86',
        firstSeenAt: at(0),
        lastSeenAt: at(0),
        consecutiveScans: 1,
        status: 'suspected',
      },
    ]);
    expect(first.confirmed).toEqual([]);

    const second = advanceOrphans(first.next, [avl()], at(5));
    expect(second.confirmed).toEqual([
      {
        symbol: 'AVLUSDT',
        hedgeSide: null,
        side: 'long',
        size: '86',
        firstSeenAt: at(0),
        lastSeenAt: at(5),
        consecutiveScans: 2,
        status: 'confirmed',
      },
    ]);

    const third = advanceOrphans(second.next, [avl()], at(10));
    expect(third.confirmed).toEqual([]);
    expect(third.next[0]).toMatchObject({ consecutiveScans: 3, status: 'confirmed' });

    const fourth = advanceOrphans(third.next, [], at(15));
    expect(fourth).toEqual({ next: [], confirmed: [], resolved: [third.next[0]], dropped: [] });
  });

  it('a suspect gone before confirmation is dropped, never resolved (it was never alerted)', () => {
    const first = advanceOrphans([], [avl()], at(0));
    expect(advanceOrphans(first.next, [], at(5))).toEqual({ next: [], confirmed: [], resolved: [], dropped: first.next });
  });

  it('a growing or shrinking orphan keeps its streak and takes the new size', () => {
    const first = advanceOrphans([], [avl('86')], at(0));
    const second = advanceOrphans(first.next, [avl('40')], at(5));
    expect(second.confirmed).toEqual([expect.objectContaining({ size: '40', consecutiveScans: 2, firstSeenAt: at(0) })]);
  });

  it('a side flip ends the old orphan and starts a new one from 1', () => {
    const confirmedLong = advanceOrphans(advanceOrphans([], [avl()], at(0)).next, [avl()], at(5)).next;
    const flipped = advanceOrphans(confirmedLong, [avl('10', 'short')], at(10));
    expect(flipped.resolved).toEqual(confirmedLong);
    expect(flipped.confirmed).toEqual([]);
    expect(flipped.next).toEqual([
      expect.objectContaining({ side: 'short', consecutiveScans: 1, status: 'suspected', firstSeenAt: at(10) }),
    ]);
  });

  it('confirmAfterScans 1 confirms on first sight', () => {
    expect(advanceOrphans([], [avl()], at(0), 1).confirmed).toHaveLength(1);
  });

  it('refuses a scan that is not newer than the state (a redelivered scan must not count twice)', () => {
    const first = advanceOrphans([], [avl()], at(0));
    expect(() => advanceOrphans(first.next, [avl()], at(0))).toThrow(expect.objectContaining({ code: 'ORPHANS.STALE_SCAN' }));
  });

  it('refuses a bad threshold and a symbol listed twice', () => {
    expect(() => advanceOrphans([], [], at(0), 0)).toThrow(expect.objectContaining({ code: 'ORPHANS.INVALID_INPUT' }));
    expect(() => advanceOrphans([], [], at(0), 1.5)).toThrow(expect.objectContaining({ code: 'ORPHANS.INVALID_INPUT' }));
    expect(() => advanceOrphans([], [avl(), avl('1', 'short')], at(0))).toThrow(/twice/);
    const state: OrphanState = {
      symbol: 'AVLUSDT',
      hedgeSide: null,
      side: 'long',
      size: '1',
      firstSeenAt: at(0),
      lastSeenAt: at(0),
      consecutiveScans: 1,
      status: 'suspected',
    };
    expect(() => advanceOrphans([state, state], [], at(5))).toThrow(/twice/);
  });

  it("does not alias the caller's Date: mutating scanAt later does not move the stored times", () => {
    const scanAt = at(0);
    const { next } = advanceOrphans([], [avl()], scanAt);
    scanAt.setUTCFullYear(2030);
    expect(next[0]?.firstSeenAt).toEqual(at(0));
  });
});
