import { Dec, compareText, decimalString, writtenDecimalPlaces } from './decimal-input';
import { sharedExplanation, singleHolderExplanation } from './deviation-text';
import { ExchangePositionReport, actualExposure } from './exchange-reports';
import { SymbolExposure, TrackedPosition, expectedExposure } from './expected-exposure';
import type { HedgeSide } from '../position-mode/position-mode';
import { PositionSlot, compareSlots, slotKey, slotLabel } from './position-slot';

/** Set only by reconciliation; "Altered" in the UI. */
export type PositionHealth = 'IN_SYNC' | 'ALTERED';

/**
 * One slot of the account (a symbol; in hedge mode a symbol and side): what all tracked positions
 * expect vs what the exchange holds.
 */
export interface SymbolDeviation {
  symbol: string;
  /** The side of a hedge-mode account; null in one-way mode. */
  hedgeSide: HedgeSide | null;
  /** Σ of the tracked legs, base coin, + long / − short. */
  expected: string;
  /** The exchange's signed size (0 when flat or not reported). */
  actual: string;
  /** actual − expected. */
  delta: string;
  /** Positions holding a leg in this symbol, sorted; empty for exposure no position explains. */
  positionIds: string[];
}

/** How one leg compares with the exchange. All quantities base coin, signed decimal strings. */
export interface LegDeviation {
  legIndex: number;
  symbol: string;
  /** This leg's own expected quantity. */
  expected: string;
  /** The exchange's signed size when this leg alone holds the slot; null when shared (see below). */
  actual: string | null;
  /** The slot-level delta (actual − expected of all holders). */
  delta: string;
  /** Other positions holding the same slot, sorted. */
  sharedWith: string[];
  explanation: string;
}

export interface PositionVerdict {
  positionId: string;
  health: PositionHealth;
  /** Sorted by legIndex. */
  legs: LegDeviation[];
}

export interface AccountReconciliation {
  /** Sorted by symbol, then one-way, long side, short side. */
  symbols: SymbolDeviation[];
  /** One per tracked position, sorted by positionId. */
  positions: PositionVerdict[];
}

/**
 * Compares what Legwork's positions expect in one exchange account with what the exchange holds.
 * Reconciliation never trades: it only says what differs and by how much.
 *
 * Slots: in one-way mode the exchange keeps ONE position per symbol, so everything is compared
 * per symbol and a long and a short basket in one symbol net out. In hedge mode (legs and reports
 * carrying `hedgeSide`) the long side and the short side of a symbol are two independent
 * positions: compared separately, never netted, so a manual change to one side alters only the
 * positions on that side. Texts then name the side ("BTCUSDT long side: …").
 *
 * Attribution: when several legs share a slot the exchange number cannot be split among them
 * honestly (a manual reduction of 0.05 BTC does not say whose BTC it was). Each sharing leg then
 * gets `actual: null`, the slot-level delta, and an explanation that says the figure is shared.
 * When one leg alone holds the slot, its `actual` is the exchange's signed size.
 *
 * Invariants: a position is `ALTERED` exactly when one of its slots has delta ≠ 0; the result
 * does not depend on the order of `positions` or `reports`; a slot missing from `reports` is
 * read as flat, so dropping a report gives the same result as an explicit flat report for it.
 *
 * `symbols` covers every slot a position holds or the exchange reports, except a slot no
 * position holds that the exchange reports flat: Bybit lists every symbol ever traded with size
 * 0 (in hedge mode, both sides), and a row of zeros would say nothing.
 *
 * @throws DomainError `RECONCILIATION.CONFLICTING_REPORTS` for copies of a slot that disagree;
 *   `RECONCILIATION.INVALID_INPUT` for malformed positions or reports (see {@link expectedExposure},
 *   {@link actualExposure}).
 */
export function reconcileAccount(positions: readonly TrackedPosition[], reports: readonly ExchangePositionReport[]): AccountReconciliation {
  const expected = expectedExposure(positions);
  const actual = actualExposure(reports);

  const slots = new Map<string, PositionSlot>();
  for (const leg of positions.flatMap((p) => p.legs))
    slots.set(slotKey(leg.symbol, leg.hedgeSide), { symbol: leg.symbol, hedgeSide: leg.hedgeSide ?? null });
  for (const [key, exposure] of actual) {
    if (!new Dec(exposure.signedSize).isZero()) slots.set(key, { symbol: exposure.symbol, hedgeSide: exposure.hedgeSide });
  }
  const symbols = [...slots.values()].sort(compareSlots).map((slot): SymbolDeviation => {
    const key = slotKey(slot.symbol, slot.hedgeSide);
    const exp = new Dec(expected.get(key)?.signedQuantity ?? 0);
    const act = new Dec(actual.get(key)?.signedSize ?? 0);
    return {
      symbol: slot.symbol,
      hedgeSide: slot.hedgeSide,
      expected: decimalString(exp),
      actual: decimalString(act),
      delta: decimalString(act.minus(exp)),
      positionIds: holdersOf(expected.get(key)),
    };
  });
  // Per slot, parsed once: every leg of a shared slot reports the same numbers (an account of ten
  // baskets in five symbols has fifty legs and five slots; the scans run this for every account).
  const bySlot = new Map(
    symbols.map((s) => {
      const numbers = { expected: new Dec(s.expected), actual: new Dec(s.actual), delta: new Dec(s.delta) };
      return [slotKey(s.symbol, s.hedgeSide), { row: s, numbers, sharedTexts: new Map<number, string>() }];
    }),
  );

  const verdicts = [...positions]
    .sort((a, b) => compareText(a.positionId, b.positionId))
    .map((position): PositionVerdict => {
      let altered = false;
      const legs = [...position.legs]
        .sort((a, b) => a.legIndex - b.legIndex)
        .map((leg): LegDeviation => {
          const key = slotKey(leg.symbol, leg.hedgeSide);
          // Every leg's slot is in `expected`, hence in `bySlot`.
          const { row, numbers, sharedTexts } = bySlot.get(key) as {
            row: SymbolDeviation;
            numbers: SlotNumbers;
            sharedTexts: Map<number, string>;
          };
          const exposure = expected.get(key) as SymbolExposure;
          const own = exposure.contributors.find((c) => c.positionId === position.positionId && c.legIndex === leg.legIndex);
          const legExpected = own?.signedQuantity ?? '0';
          const sharedWith = row.positionIds.filter((id) => id !== position.positionId);
          altered ||= !numbers.delta.isZero();
          const symbol = slotLabel(leg.symbol, leg.hedgeSide);
          if (exposure.contributors.length === 1) {
            return {
              legIndex: leg.legIndex,
              symbol: leg.symbol,
              expected: legExpected,
              actual: row.actual,
              delta: row.delta,
              sharedWith,
              explanation: singleHolderExplanation({ ...numbers, symbol, legQuantity: leg.quantity, expected: new Dec(legExpected) }),
            };
          }
          // The shared sentence differs between legs only by the precision of the leg's quantity.
          const precision = writtenDecimalPlaces(leg.quantity);
          let explanation = sharedTexts.get(precision);
          if (explanation === undefined) {
            explanation = sharedExplanation({ ...numbers, symbol, legQuantity: leg.quantity }, holdersPhrase(row.positionIds, exposure));
            sharedTexts.set(precision, explanation);
          }
          return {
            legIndex: leg.legIndex,
            symbol: leg.symbol,
            expected: legExpected,
            actual: null,
            delta: row.delta,
            sharedWith,
            explanation,
          };
        });
      return { positionId: position.positionId, health: altered ? 'ALTERED' : 'IN_SYNC', legs };
    });

  return { symbols, positions: verdicts };
}

/** A slot's expected, actual and delta, parsed. */
interface SlotNumbers {
  expected: Dec;
  actual: Dec;
  delta: Dec;
}

function holdersOf(exposure: SymbolExposure | undefined): string[] {
  return exposure ? [...new Set(exposure.contributors.map((c) => c.positionId))].sort(compareText) : [];
}

function holdersPhrase(positionIds: string[], exposure: SymbolExposure): string {
  if (positionIds.length > 1) return `shared by ${positionIds.length} positions: ${positionIds.join(', ')}`;
  // Two legs of one basket in the same symbol: still one exchange position, still not splittable.
  return `held by ${exposure.contributors.length} legs of this position`;
}
