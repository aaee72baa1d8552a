import fc from 'fast-check';
import { advanceOrphans, OrphanState } from './advance-orphans';
import type { OrphanCandidate } from './untracked-exposure';

const SCAN_INTERVAL_MS = 5 * 60 * 1000;
const scanAt = (i: number) => new Date(Date.UTC(2025, 9, 28) + i * SCAN_INTERVAL_MS);

/** What one symbol shows in one scan: an orphan on a side with a size, or nothing. */
type Sighting = { side: 'long' | 'short'; size: string } | null;
const sighting: fc.Arbitrary<Sighting> = fc.oneof(
  fc.constant(null),
  fc.record({ side: fc.constantFrom('long' as const, 'short' as const), size: fc.integer({ min: 1, max: 999 }).map(String) }),
);
const candidate = (symbol: string, s: NonNullable<Sighting>): OrphanCandidate => ({
  symbol,
  hedgeSide: null,
  ...s,
  exchangeSize: s.size,
  expectedSignedQuantity: '0',
});

/** Runs the state machine over a history of sightings of one symbol; returns every scan's outcome. */
function run(history: Sighting[], confirmAfterScans: number) {
  let state: OrphanState[] = [];
  return history.map((s, i) => {
    const outcome = advanceOrphans(state, s ? [candidate('AVLUSDT', s)] : [], scanAt(i), confirmAfterScans);
    state = outcome.next;
    return outcome;
  });
}

describe('advanceOrphans properties', () => {
  it('an uninterrupted streak is confirmed exactly on scan N = confirmAfterScans, and never again while it persists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 12 }),
        (n, sizes) => {
          const outcomes = run(
            sizes.map((size) => ({ side: 'long', size: String(size) })),
            n,
          );
          outcomes.forEach((outcome, i) => {
            expect(outcome.confirmed.length).toBe(i + 1 === n ? 1 : 0);
            expect(outcome.next).toEqual([
              expect.objectContaining({ consecutiveScans: i + 1, status: i + 1 >= n ? 'confirmed' : 'suspected', size: String(sizes[i]) }),
            ]);
            expect(outcome.resolved).toEqual([]);
            expect(outcome.dropped).toEqual([]);
          });
        },
      ),
    );
  });

  it('matches a run-length model for any history of gaps and side flips: interrupted streaks restart from 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(sighting, { maxLength: 20 }), (n, history) => {
        const outcomes = run(history, n);
        let streak = 0;
        let side: 'long' | 'short' | null = null;
        history.forEach((s, i) => {
          const outcome = outcomes[i] as (typeof outcomes)[number];
          const continues = s !== null && s.side === side;
          const ended = side !== null && !continues;
          // The orphan that ended in this scan is resolved if it was confirmed, else dropped.
          expect(outcome.resolved.length).toBe(ended && streak >= n ? 1 : 0);
          expect(outcome.dropped.length).toBe(ended && streak < n ? 1 : 0);
          streak = s === null ? 0 : continues ? streak + 1 : 1;
          side = s === null ? null : s.side;
          expect(outcome.confirmed.length).toBe(streak === n ? 1 : 0);
          expect(outcome.next.map((o) => o.consecutiveScans)).toEqual(s ? [streak] : []);
        });
        // Alerted once per streak that reached N, counted from the history alone.
        const streaks: number[] = [];
        history.forEach((s, i) => {
          const before = history[i - 1];
          if (s && before && before.side === s.side) streaks[streaks.length - 1] = (streaks[streaks.length - 1] as number) + 1;
          else if (s) streaks.push(1);
        });
        const confirmations = outcomes.reduce((total, o) => total + o.confirmed.length, 0);
        expect(confirmations).toBe(streaks.filter((length) => length >= n).length);
      }),
    );
  });

  it('symbols are followed independently, and the result does not depend on candidate order', () => {
    const symbols = ['AVLUSDT', 'BTCUSDT', 'XRPUSDT'];
    fc.assert(
      fc.property(fc.array(fc.tuple(sighting, sighting, sighting), { maxLength: 10 }), fc.boolean(), (history, reverse) => {
        let forward: OrphanState[] = [];
        let backward: OrphanState[] = [];
        history.forEach((row, i) => {
          const candidates = row.flatMap((s, k) => (s ? [candidate(symbols[k] as string, s)] : []));
          const a = advanceOrphans(forward, candidates, scanAt(i));
          const b = advanceOrphans(
            reverse ? [...backward].reverse() : backward,
            reverse ? [...candidates].reverse() : candidates,
            scanAt(i),
          );
          expect(b).toEqual(a);
          forward = a.next;
          backward = b.next;
        });
      }),
    );
  });

  it('hedge mode: the long and the short side of one symbol are followed independently, each as if alone', () => {
    /** A side's own sightings: present (with a size) or not; a hedge side never flips. */
    const presence = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 999 }).map(String));
    const onSide = (hedgeSide: 'long' | 'short', size: string): OrphanCandidate => ({
      ...candidate('BTCUSDT', { side: hedgeSide, size }),
      hedgeSide,
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(fc.tuple(presence, presence), { maxLength: 12 }), (n, history) => {
        let both: OrphanState[] = [];
        let longAlone: OrphanState[] = [];
        let shortAlone: OrphanState[] = [];
        history.forEach(([long, short], i) => {
          const together = advanceOrphans(
            both,
            [...(short ? [onSide('short', short)] : []), ...(long ? [onSide('long', long)] : [])],
            scanAt(i),
            n,
          );
          const l = advanceOrphans(longAlone, long ? [onSide('long', long)] : [], scanAt(i), n);
          const s = advanceOrphans(shortAlone, short ? [onSide('short', short)] : [], scanAt(i), n);
          for (const key of ['next', 'confirmed', 'resolved', 'dropped'] as const) expect(together[key]).toEqual([...l[key], ...s[key]]);
          both = together.next;
          longAlone = l.next;
          shortAlone = s.next;
        });
      }),
    );
  });
});
