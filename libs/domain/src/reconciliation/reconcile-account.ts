import { Dec, compareText, decimalString } from './decimal-input';
import { sharedExplanation, singleHolderExplanation } from './deviation-text';
import { ExchangePositionReport, actualExposure } from './exchange-reports';
import { SymbolExposure, TrackedPosition, expectedExposure } from './expected-exposure';

/** Set only by reconciliation; "Altered" in the UI. */
export type PositionHealth = 'IN_SYNC' | 'ALTERED';

/** One symbol of the account: what all tracked positions expect vs what the exchange holds. */
export interface SymbolDeviation {
  symbol: string;
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
  /** The exchange's signed size when this leg alone holds the symbol; null when shared (see below). */
  actual: string | null;
  /** The symbol-level delta (actual − expected of all holders). */
  delta: string;
  /** Other positions holding the same symbol, sorted. */
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
  /** Sorted by symbol. */
  symbols: SymbolDeviation[];
  /** One per tracked position, sorted by positionId. */
  positions: PositionVerdict[];
}

/**
 * Compares what Legwork's positions expect in one exchange account with what the exchange holds.
 * Reconciliation never trades: it only says what differs and by how much.
 *
 * Attribution: one-way mode keeps ONE position per symbol per account, so when several legs share
 * a symbol the exchange number cannot be split among them honestly (a manual reduction of
 * 0.05 BTC does not say whose BTC it was). Each sharing leg then gets `actual: null`, the
 * symbol-level delta, and an explanation that says the figure is shared. When one leg alone holds
 * the symbol, its `actual` is the exchange's signed size.
 *
 * Invariants: a position is `ALTERED` exactly when one of its symbols has delta ≠ 0; the result
 * does not depend on the order of `positions` or `reports`; a symbol missing from `reports` is
 * read as flat, so dropping a report gives the same result as an explicit flat report for it.
 *
 * `symbols` covers every symbol a position holds or the exchange reports, except a symbol no
 * position holds that the exchange reports flat: Bybit lists every symbol ever traded with size
 * 0, and a row of zeros would say nothing.
 *
 * @throws DomainError `RECONCILIATION.CONFLICTING_REPORTS` for copies of a symbol that disagree;
 *   `RECONCILIATION.INVALID_INPUT` for malformed positions or reports (see {@link expectedExposure},
 *   {@link actualExposure}).
 */
export function reconcileAccount(
  positions: readonly TrackedPosition[],
  reports: readonly ExchangePositionReport[],
): AccountReconciliation {
  const expected = expectedExposure(positions);
  const actual = actualExposure(reports);

  const symbolNames = new Set(expected.keys());
  for (const [symbol, exposure] of actual) {
    if (!new Dec(exposure.signedSize).isZero()) symbolNames.add(symbol);
  }
  const symbols = [...symbolNames].sort(compareText).map((symbol) => {
    const exp = new Dec(expected.get(symbol)?.signedQuantity ?? 0);
    const act = new Dec(actual.get(symbol)?.signedSize ?? 0);
    return {
      symbol,
      expected: decimalString(exp),
      actual: decimalString(act),
      delta: decimalString(act.minus(exp)),
      positionIds: holdersOf(expected.get(symbol)),
    };
  });
  const bySymbol = new Map(symbols.map((s) => [s.symbol, s]));

  const verdicts = [...positions]
    .sort((a, b) => compareText(a.positionId, b.positionId))
    .map((position): PositionVerdict => {
      const legs = [...position.legs]
        .sort((a, b) => a.legIndex - b.legIndex)
        .map((leg): LegDeviation => {
          // Every leg's symbol is in `expected`, hence in `bySymbol`.
          const row = bySymbol.get(leg.symbol) as SymbolDeviation;
          const exposure = expected.get(leg.symbol) as SymbolExposure;
          const own = exposure.contributors.find((c) => c.positionId === position.positionId && c.legIndex === leg.legIndex);
          const legExpected = own?.signedQuantity ?? '0';
          const sharedWith = row.positionIds.filter((id) => id !== position.positionId);
          const numbers = { symbol: leg.symbol, legQuantity: leg.quantity, actual: new Dec(row.actual), delta: new Dec(row.delta) };
          if (exposure.contributors.length === 1) {
            return {
              legIndex: leg.legIndex,
              symbol: leg.symbol,
              expected: legExpected,
              actual: row.actual,
              delta: row.delta,
              sharedWith,
              explanation: singleHolderExplanation({ ...numbers, expected: new Dec(legExpected) }),
            };
          }
          return {
            legIndex: leg.legIndex,
            symbol: leg.symbol,
            expected: legExpected,
            actual: null,
            delta: row.delta,
            sharedWith,
            explanation: sharedExplanation({ ...numbers, expected: new Dec(row.expected) }, holdersPhrase(row.positionIds, exposure)),
          };
        });
      const altered = legs.some((leg) => !new Dec(leg.delta).isZero());
      return { positionId: position.positionId, health: altered ? 'ALTERED' : 'IN_SYNC', legs };
    });

  return { symbols, positions: verdicts };
}

function holdersOf(exposure: SymbolExposure | undefined): string[] {
  return exposure ? [...new Set(exposure.contributors.map((c) => c.positionId))].sort(compareText) : [];
}

function holdersPhrase(positionIds: string[], exposure: SymbolExposure): string {
  if (positionIds.length > 1) return `shared by ${positionIds.length} positions: ${positionIds.join(', ')}`;
  // Two legs of one basket in the same symbol: still one exchange position, still not splittable.
  return `held by ${exposure.contributors.length} legs of this position`;
}
