import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { ExchangePositionReport } from './exchange-reports';
import type { TrackedLeg, TrackedPosition } from './expected-exposure';
import { expectedExposure } from './expected-exposure';
import type { HedgeSide } from '../position-mode/position-mode';
import { hedgeSideOfLeg, slotKey } from './position-slot';
import { reconcileAccount } from './reconcile-account';

// Property tests in the spirit of Nautilus' reconciliation proptests: shuffle, duplicate and drop
// exchange reports (and shuffle positions); the verdict must not move unless the facts do.

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'AVLUSDT'];
const symbol = fc.constantFrom(...SYMBOLS);
/** A positive decimal written with 0–4 decimals, as a qty step would write it ("0.100", "86"). */
const quantity = fc
  .tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([units, dp]) => new Decimal(units).div(new Decimal(10).pow(dp)).toFixed(dp));

const positionsArb: fc.Arbitrary<TrackedPosition[]> = fc
  .array(fc.array(fc.record({ symbol, side: fc.constantFrom('buy' as const, 'sell' as const), quantity }), { maxLength: 5 }), {
    maxLength: 5,
  })
  .map((baskets) =>
    baskets.map((legs, p) => ({
      positionId: `pos-${p}`,
      status: 'ACTIVE' as const,
      legs: legs.map((leg, legIndex): TrackedLeg => ({ ...leg, legIndex, entryPrice: '100' })),
    })),
  );

const reportFor = (s: string): fc.Arbitrary<ExchangePositionReport> =>
  fc.oneof(
    fc.record({
      symbol: fc.constant(s),
      side: fc.constantFrom('long' as const, 'short' as const),
      size: quantity,
      markPrice: fc.constant(null),
    }),
    fc.constant({ symbol: s, side: 'flat' as const, size: '0', markPrice: null }),
  );
/** At most one report per symbol, for a random subset of symbols. */
const reportsArb: fc.Arbitrary<ExchangePositionReport[]> = fc
  .subarray(SYMBOLS)
  .chain((symbols) => (symbols.length ? fc.tuple(...symbols.map(reportFor)) : fc.constant([])));

const signed = (r: ExchangePositionReport) =>
  r.side === 'short' ? new Decimal(r.size).neg() : r.side === 'flat' ? new Decimal(0) : new Decimal(r.size);

/** Reports that hold exactly what the positions expect. */
const matchingReports = (positions: TrackedPosition[]): ExchangePositionReport[] =>
  [...expectedExposure(positions)].map(([s, e]) => {
    const q = new Decimal(e.signedQuantity);
    return { symbol: s, side: q.isZero() ? 'flat' : q.isNegative() ? 'short' : 'long', size: q.abs().toFixed(), markPrice: null };
  });

const shuffled = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

describe('reconcileAccount properties', () => {
  it('does not depend on the order of positions, of their legs, or of reports', () => {
    const withPermutations = fc.tuple(positionsArb, reportsArb).chain(([positions, reports]) =>
      fc.tuple(
        fc.constant(positions),
        fc.constant(reports),
        fc.tuple(...positions.map((p) => shuffled(p.legs).map((legs) => ({ ...p, legs })))).chain((ps) => shuffled(ps)),
        shuffled(reports),
      ),
    );
    fc.assert(
      fc.property(withPermutations, ([positions, reports, reorderedPositions, reorderedReports]) => {
        expect(reconcileAccount(reorderedPositions, reorderedReports)).toEqual(reconcileAccount(positions, reports));
      }),
    );
  });

  it('a report listed twice (same content, possibly written differently) is one report', () => {
    fc.assert(
      fc.property(positionsArb, reportsArb, fc.array(fc.nat(), { maxLength: 6 }), (positions, reports, picks) => {
        fc.pre(reports.length > 0);
        const copies = picks.map((i) => {
          const r = reports[i % reports.length] as ExchangePositionReport;
          // "0.1" and "0.1000" are the same size; the copy must collapse with the original.
          return { ...r, size: r.size.includes('.') ? `${r.size}00` : `${r.size}.0` };
        });
        expect(reconcileAccount(positions, [...reports, ...copies])).toEqual(reconcileAccount(positions, reports));
      }),
    );
  });

  it('a copy that states a different position throws RECONCILIATION.CONFLICTING_REPORTS', () => {
    fc.assert(
      fc.property(positionsArb, reportsArb, fc.nat(), (positions, reports, pick) => {
        fc.pre(reports.length > 0);
        const original = reports[pick % reports.length] as ExchangePositionReport;
        const conflicting: ExchangePositionReport = {
          ...original,
          side: 'long',
          size: new Decimal(signed(original).abs()).plus('0.5').toFixed(),
        };
        expect(() => reconcileAccount(positions, [...reports, conflicting])).toThrow(
          expect.objectContaining({ code: 'RECONCILIATION.CONFLICTING_REPORTS' }),
        );
      }),
    );
  });

  it('dropping the report of a symbol gives the same result as reporting it flat', () => {
    fc.assert(
      fc.property(positionsArb, reportsArb, fc.nat(), (positions, reports, pick) => {
        fc.pre(reports.length > 0);
        const dropped = reports[pick % reports.length] as ExchangePositionReport;
        const without = reports.filter((r) => r !== dropped);
        const flat = [...without, { symbol: dropped.symbol, side: 'flat' as const, size: '0', markPrice: null }];
        expect(reconcileAccount(positions, without)).toEqual(reconcileAccount(positions, flat));
      }),
    );
  });

  it('expected totals equal the sum of the legs, and delta = actual − expected', () => {
    fc.assert(
      fc.property(positionsArb, reportsArb, (positions, reports) => {
        const result = reconcileAccount(positions, reports);
        for (const row of result.symbols) {
          const legs = positions.flatMap((p) => p.legs.filter((l) => l.symbol === row.symbol));
          const sum = legs.reduce((acc, l) => acc.plus(l.side === 'buy' ? l.quantity : new Decimal(l.quantity).neg()), new Decimal(0));
          const report = reports.find((r) => r.symbol === row.symbol);
          const actual = report ? signed(report) : new Decimal(0);
          expect(new Decimal(row.expected).eq(sum)).toBe(true);
          expect(new Decimal(row.actual).eq(actual)).toBe(true);
          expect(new Decimal(row.delta).eq(actual.minus(sum))).toBe(true);
        }
      }),
    );
  });

  it('positions whose legs all match the exchange are IN_SYNC with every delta 0', () => {
    fc.assert(
      fc.property(positionsArb, (positions) => {
        const result = reconcileAccount(positions, matchingReports(positions));
        expect(result.positions.every((p) => p.health === 'IN_SYNC')).toBe(true);
        expect(result.symbols.every((s) => s.delta === '0')).toBe(true);
      }),
    );
  });

  it('a position is ALTERED exactly when one of its symbols deviates; only sole holders get a per-leg actual', () => {
    fc.assert(
      fc.property(positionsArb, reportsArb, (positions, reports) => {
        const result = reconcileAccount(positions, reports);
        const rows = new Map(result.symbols.map((s) => [s.symbol, s]));
        expect(result.positions.map((p) => p.positionId)).toEqual(positions.map((p) => p.positionId).sort());
        for (const verdict of result.positions) {
          const position = positions.find((p) => p.positionId === verdict.positionId) as TrackedPosition;
          const deviates = position.legs.some((l) => rows.get(l.symbol)?.delta !== '0');
          expect(verdict.health).toBe(deviates ? 'ALTERED' : 'IN_SYNC');
          for (const leg of verdict.legs) {
            const row = rows.get(leg.symbol);
            const holders = positions.flatMap((p) => p.legs.filter((l) => l.symbol === leg.symbol)).length;
            expect(leg.delta).toBe(row?.delta);
            expect(leg.actual).toBe(holders === 1 ? row?.actual : null);
            expect(leg.sharedWith).not.toContain(verdict.positionId);
          }
        }
      }),
    );
  });
});

// Hedge mode: every leg lives on the side it points to (a buy leg on the long side), and the
// exchange reports each (symbol, side) slot on its own row. The same properties hold per slot,
// and the two sides of a symbol never net.
const HEDGE_SIDES: HedgeSide[] = ['long', 'short'];
const hedgePositionsArb: fc.Arbitrary<TrackedPosition[]> = positionsArb.map((positions) =>
  positions.map((p) => ({ ...p, legs: p.legs.map((l) => ({ ...l, hedgeSide: hedgeSideOfLeg('hedge', l.side) })) })),
);
const slotReportFor = ([s, hedgeSide]: [string, HedgeSide]): fc.Arbitrary<ExchangePositionReport> =>
  fc.oneof(
    fc.record({
      symbol: fc.constant(s),
      side: fc.constant(hedgeSide),
      size: quantity,
      markPrice: fc.constant(null),
      hedgeSide: fc.constant(hedgeSide),
    }),
    fc.constant({ symbol: s, side: 'flat' as const, size: '0', markPrice: null, hedgeSide }),
  );
const ALL_SLOTS = SYMBOLS.flatMap((s) => HEDGE_SIDES.map((side): [string, HedgeSide] => [s, side]));
/** At most one report per slot, for a random subset of slots. */
const hedgeReportsArb: fc.Arbitrary<ExchangePositionReport[]> = fc
  .subarray(ALL_SLOTS)
  .chain((slots) => (slots.length ? fc.tuple(...slots.map(slotReportFor)) : fc.constant([])));
const keyOf = (r: { symbol: string; hedgeSide?: HedgeSide | null }) => slotKey(r.symbol, r.hedgeSide);

describe('reconcileAccount properties, hedge mode (per slot)', () => {
  it('does not depend on the order of positions or reports, and a copy of a slot report is one report', () => {
    const variants = fc.tuple(hedgePositionsArb, hedgeReportsArb).chain(([positions, reports]) =>
      fc.tuple(
        fc.constant(positions),
        fc.constant(reports),
        shuffled(positions),
        fc
          .array(fc.nat(), { maxLength: 6 })
          .chain((picks) =>
            shuffled([
              ...reports,
              ...(reports.length ? picks.map((i) => ({ ...(reports[i % reports.length] as ExchangePositionReport) })) : []),
            ]),
          ),
      ),
    );
    fc.assert(
      fc.property(variants, ([positions, reports, reorderedPositions, noisyReports]) => {
        expect(reconcileAccount(reorderedPositions, noisyReports)).toEqual(reconcileAccount(positions, reports));
      }),
    );
  });

  it('dropping the report of one slot gives the same result as reporting that slot flat', () => {
    fc.assert(
      fc.property(hedgePositionsArb, hedgeReportsArb, fc.nat(), (positions, reports, pick) => {
        fc.pre(reports.length > 0);
        const dropped = reports[pick % reports.length] as ExchangePositionReport;
        const without = reports.filter((r) => r !== dropped);
        const flat = [
          ...without,
          { symbol: dropped.symbol, side: 'flat' as const, size: '0', markPrice: null, hedgeSide: dropped.hedgeSide },
        ];
        expect(reconcileAccount(positions, without)).toEqual(reconcileAccount(positions, flat));
      }),
    );
  });

  it('a copy of a slot that states a different position throws; the other side of the symbol never conflicts', () => {
    fc.assert(
      fc.property(hedgePositionsArb, hedgeReportsArb, fc.nat(), (positions, reports, pick) => {
        fc.pre(reports.length > 0);
        const original = reports[pick % reports.length] as ExchangePositionReport;
        const side = original.hedgeSide as HedgeSide;
        const bigger = { ...original, side, size: signed(original).abs().plus('0.5').toFixed() };
        expect(() => reconcileAccount(positions, [...reports, bigger])).toThrow(
          expect.objectContaining({ code: 'RECONCILIATION.CONFLICTING_REPORTS' }),
        );
        const other: HedgeSide = side === 'long' ? 'short' : 'long';
        fc.pre(!reports.some((r) => keyOf(r) === slotKey(original.symbol, other)));
        expect(() => reconcileAccount(positions, [...reports, { ...bigger, side: other, hedgeSide: other }])).not.toThrow();
      }),
    );
  });

  it('each slot expects the sum of its own legs only: the long side the buy legs, the short side the sell legs', () => {
    fc.assert(
      fc.property(hedgePositionsArb, hedgeReportsArb, (positions, reports) => {
        for (const row of reconcileAccount(positions, reports).symbols) {
          const legs = positions.flatMap((p) => p.legs.filter((l) => l.symbol === row.symbol && l.hedgeSide === row.hedgeSide));
          const sum = legs.reduce((acc, l) => acc.plus(l.side === 'buy' ? l.quantity : new Decimal(l.quantity).neg()), new Decimal(0));
          const report = reports.find((r) => keyOf(r) === keyOf(row));
          expect(new Decimal(row.expected).eq(sum)).toBe(true);
          expect(new Decimal(row.actual).eq(report ? signed(report) : 0)).toBe(true);
          expect(row.hedgeSide === 'long' ? new Decimal(row.expected).gte(0) : new Decimal(row.expected).lte(0)).toBe(true);
        }
      }),
    );
  });

  it('a change to one slot alters exactly the positions holding that slot, never those on the other side', () => {
    fc.assert(
      fc.property(hedgePositionsArb, fc.nat(), quantity, (positions, pick, extra) => {
        const matching = [...expectedExposure(positions)].map(([, e]) => e);
        fc.pre(matching.length > 0);
        const slots = [...new Map(positions.flatMap((p) => p.legs.map((l) => [keyOf(l), l] as const))).values()];
        const changed = slots[pick % slots.length] as TrackedLeg;
        const reports: ExchangePositionReport[] = slots.map((l) => {
          const total = positions
            .flatMap((p) => p.legs)
            .filter((x) => keyOf(x) === keyOf(l))
            .reduce((acc, x) => acc.plus(x.quantity), new Decimal(0));
          const size = keyOf(l) === keyOf(changed) ? total.plus(extra) : total;
          return { symbol: l.symbol, side: l.hedgeSide as HedgeSide, size: size.toFixed(), markPrice: null, hedgeSide: l.hedgeSide };
        });
        const result = reconcileAccount(positions, reports);
        for (const verdict of result.positions) {
          const holds = (positions.find((p) => p.positionId === verdict.positionId) as TrackedPosition).legs.some(
            (l) => keyOf(l) === keyOf(changed),
          );
          expect(verdict.health).toBe(holds ? 'ALTERED' : 'IN_SYNC');
        }
      }),
    );
  });
});
