import Decimal from 'decimal.js';
import fc from 'fast-check';
import type { ExchangePositionReport } from '../reconciliation/exchange-reports';
import type { HedgeSide } from '../position-mode/position-mode';
import { slotKey } from '../reconciliation/position-slot';
import { untrackedExposure } from './untracked-exposure';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'AVLUSDT'];
const quantity = fc
  .tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([units, dp]) => new Decimal(units).div(new Decimal(10).pow(dp)));

/** symbol → signed expected quantity; absent symbols expect nothing. */
const expectedArb = fc
  .subarray(SYMBOLS)
  .chain((symbols) =>
    fc.tuple(
      ...symbols.map((s) =>
        fc.tuple(
          fc.constant(s),
          fc.oneof(
            quantity,
            quantity.map((q) => q.neg()),
            fc.constant(new Decimal(0)),
          ),
        ),
      ),
    ),
  )
  .map((entries) => new Map(entries.map(([s, q]) => [s, q.toFixed()])));

const reportFor = (s: string): fc.Arbitrary<ExchangePositionReport> =>
  fc.oneof(
    fc.record({
      symbol: fc.constant(s),
      side: fc.constantFrom('long' as const, 'short' as const),
      size: quantity.map((q) => q.toFixed()),
      markPrice: fc.constant(null),
    }),
    fc.constant({ symbol: s, side: 'flat' as const, size: '0', markPrice: null }),
  );
const reportsArb: fc.Arbitrary<ExchangePositionReport[]> = fc
  .subarray(SYMBOLS)
  .chain((symbols) => (symbols.length ? fc.tuple(...symbols.map(reportFor)) : fc.constant([])));
const graceArb = fc.subarray(SYMBOLS, { maxLength: 2 }).map((s) => new Set(s));

const signed = (r: ExchangePositionReport) =>
  r.side === 'short' ? new Decimal(r.size).neg() : r.side === 'flat' ? new Decimal(0) : new Decimal(r.size);
const shuffled = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });
/** Each report list, paired with a shuffled copy of it with some reports listed twice. */
const withNoise = (arb: fc.Arbitrary<ExchangePositionReport[]>) =>
  arb.chain((reports) =>
    fc.tuple(
      fc.constant(reports),
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

describe('untrackedExposure properties', () => {
  it('a symbol is orphaned exactly when our expected exposure does not explain it — never both', () => {
    fc.assert(
      fc.property(expectedArb, reportsArb, graceArb, (expected, reports, grace) => {
        const candidates = new Map(untrackedExposure(expected, reports, grace).map((c) => [c.symbol, c]));
        for (const report of reports) {
          const actual = signed(report);
          const ours = new Decimal(expected.get(report.symbol) ?? 0);
          const explained =
            actual.isZero() || (!ours.isZero() && ours.isNegative() === actual.isNegative() && actual.abs().lte(ours.abs()));
          expect(candidates.has(report.symbol)).toBe(!explained && !grace.has(report.symbol));
        }
        for (const symbol of candidates.keys()) expect(reports.some((r) => r.symbol === symbol)).toBe(true);
      }),
    );
  });

  it('the untracked size is positive, never exceeds the exchange size, and lies on the exchange side', () => {
    fc.assert(
      fc.property(expectedArb, reportsArb, (expected, reports) => {
        for (const c of untrackedExposure(expected, reports, new Set())) {
          const report = reports.find((r) => r.symbol === c.symbol) as ExchangePositionReport;
          expect(new Decimal(c.size).gt(0)).toBe(true);
          expect(new Decimal(c.size).lte(c.exchangeSize)).toBe(true);
          expect(c.exchangeSize).toBe(new Decimal(report.size).toFixed());
          expect(c.side).toBe(report.side);
          // Same side: what is ours plus what is not is exactly what the exchange holds.
          const ours = new Decimal(c.expectedSignedQuantity);
          if (!ours.isZero() && ours.isNegative() === (c.side === 'short')) {
            expect(ours.abs().plus(c.size).eq(c.exchangeSize)).toBe(true);
          } else {
            expect(c.size).toBe(c.exchangeSize);
          }
        }
      }),
    );
  });

  it('shuffled and duplicated reports give the same candidates', () => {
    fc.assert(
      fc.property(expectedArb, withNoise(reportsArb), graceArb, (expected, [reports, noisy], grace) => {
        expect(untrackedExposure(expected, noisy, grace)).toEqual(untrackedExposure(expected, reports, grace));
      }),
    );
  });
});

// Hedge mode: the exchange reports each (symbol, side) slot on its own row and our expected
// exposure is keyed by slot; every property above holds per slot.
const HEDGE_SIDES: HedgeSide[] = ['long', 'short'];
const ALL_SLOTS = SYMBOLS.flatMap((s) => HEDGE_SIDES.map((side): [string, HedgeSide] => [s, side]));
/** slot key → signed expected quantity on that side (≥ 0 on the long side, ≤ 0 on the short side). */
const hedgeExpectedArb = fc
  .subarray(ALL_SLOTS)
  .chain((slots) =>
    fc.tuple(
      ...slots.map(([s, side]) => fc.tuple(fc.constant(slotKey(s, side)), side === 'long' ? quantity : quantity.map((q) => q.neg()))),
    ),
  )
  .map((entries) => new Map(entries.map(([key, q]) => [key, q.toFixed()])));
const slotReportFor = ([s, hedgeSide]: [string, HedgeSide]): fc.Arbitrary<ExchangePositionReport> =>
  fc.oneof(
    fc.record({
      symbol: fc.constant(s),
      side: fc.constant(hedgeSide),
      size: quantity.map((q) => q.toFixed()),
      markPrice: fc.constant(null),
      hedgeSide: fc.constant(hedgeSide),
    }),
    fc.constant({ symbol: s, side: 'flat' as const, size: '0', markPrice: null, hedgeSide }),
  );
const hedgeReportsArb: fc.Arbitrary<ExchangePositionReport[]> = fc
  .subarray(ALL_SLOTS)
  .chain((slots) => (slots.length ? fc.tuple(...slots.map(slotReportFor)) : fc.constant([])));
const hedgeGraceArb = fc.subarray([...SYMBOLS, ...ALL_SLOTS.map(([s, side]) => slotKey(s, side))], { maxLength: 3 }).map((s) => new Set(s));

describe('untrackedExposure properties, hedge mode (per slot)', () => {
  it('a slot is orphaned exactly when our expected exposure on that side does not explain it', () => {
    fc.assert(
      fc.property(hedgeExpectedArb, hedgeReportsArb, hedgeGraceArb, (expected, reports, grace) => {
        const candidates = new Map(untrackedExposure(expected, reports, grace).map((c) => [slotKey(c.symbol, c.hedgeSide), c]));
        for (const report of reports) {
          const key = slotKey(report.symbol, report.hedgeSide);
          const actual = signed(report).abs();
          const ours = new Decimal(expected.get(key) ?? 0).abs();
          const inGrace = grace.has(report.symbol) || grace.has(key);
          expect(candidates.has(key)).toBe(actual.gt(ours) && !inGrace);
          if (candidates.has(key)) {
            expect(candidates.get(key)).toMatchObject({
              hedgeSide: report.hedgeSide,
              side: report.hedgeSide,
              size: actual.minus(ours).toFixed(),
            });
          }
        }
        expect(candidates.size).toBeLessThanOrEqual(reports.length);
      }),
    );
  });

  it('shuffled and duplicated slot reports give the same candidates', () => {
    fc.assert(
      fc.property(hedgeExpectedArb, withNoise(hedgeReportsArb), hedgeGraceArb, (expected, [reports, noisy], grace) => {
        expect(untrackedExposure(expected, noisy, grace)).toEqual(untrackedExposure(expected, reports, grace));
      }),
    );
  });

  it('dropping one slot report only removes the candidate of that slot: the other side of the symbol is unaffected', () => {
    fc.assert(
      fc.property(hedgeExpectedArb, hedgeReportsArb, fc.nat(), (expected, reports, pick) => {
        fc.pre(reports.length > 0);
        const dropped = reports[pick % reports.length] as ExchangePositionReport;
        const key = (c: { symbol: string; hedgeSide?: HedgeSide | null }) => slotKey(c.symbol, c.hedgeSide);
        const all = untrackedExposure(expected, reports, new Set());
        const without = untrackedExposure(
          expected,
          reports.filter((r) => r !== dropped),
          new Set(),
        );
        expect(without).toEqual(all.filter((c) => key(c) !== key(dropped)));
      }),
    );
  });
});
