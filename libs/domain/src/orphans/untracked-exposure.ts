import { Dec, decimalString, parseSigned } from '../reconciliation/decimal-input';
import { ExchangePositionReport, actualExposure } from '../reconciliation/exchange-reports';
import type { HedgeSide } from '../position-mode/position-mode';
import { slotInGrace, slotLabel } from '../reconciliation/position-slot';

/** Exposure in one slot (symbol; in hedge mode symbol and side) that no tracked position explains, seen in ONE scan. */
export interface OrphanCandidate {
  symbol: string;
  /** The side of a hedge-mode account the exposure is on; null in one-way mode. */
  hedgeSide: HedgeSide | null;
  /** The exchange position's side: the unexplained part is always on that side. */
  side: 'long' | 'short';
  /** The unexplained part, base coin, > 0 and ≤ `exchangeSize`. */
  size: string;
  /** The whole exchange position, absolute, base coin. */
  exchangeSize: string;
  /** What tracked positions expect in the slot, + long / − short ("0" when none). */
  expectedSignedQuantity: string;
}

/**
 * The part of each exchange position that Legwork's expected exposure does not explain (seed 004,
 * FIX #3: a rollback's wrong-side BUY left 86 AVLUSDT long that nothing tracked).
 *
 * Net per (account, symbol) in one-way mode, which keeps one position per symbol; per (account,
 * symbol, side) in hedge mode (reports carrying `hedgeSide`), where the long and the short side
 * are two positions and an unexplained short side beside our long side is an orphan of its own:
 * - nothing expected → the whole position is unexplained;
 * - same side, exchange larger → the excess |actual| − |expected| ("size beyond ours in a symbol
 *   we also hold", e.g. a manual buy on top of a basket leg);
 * - opposite side → the whole |actual|: none of it is ours, ours is gone;
 * - same side, exchange equal or smaller → no orphan: a shortfall is an alteration of our
 *   position (reconciliation's business), not exposure of unknown origin.
 *
 * Slots in grace are skipped (`slotInGrace`: a bare symbol in `graceSymbols` covers both sides,
 * a slot key one side): a position still executing may hold fills it has not recorded yet, and
 * calling them orphans would be a false alarm. A slot the exchange does not report, or reports
 * flat, has no orphan.
 *
 * Output is sorted by slot key and does not depend on the order or duplication of `reports`
 * (duplicates are collapsed as in {@link actualExposure}).
 *
 * @param expected slot key (`slotKey`: the symbol in one-way mode) → signed expected quantity
 *   (base coin), e.g. from `expectedExposure`.
 * @throws DomainError `RECONCILIATION.CONFLICTING_REPORTS` / `RECONCILIATION.INVALID_INPUT` for
 *   bad reports; `ORPHANS.INVALID_INPUT` for an expected quantity that is not a decimal.
 */
export function untrackedExposure(
  expected: ReadonlyMap<string, string>,
  reports: readonly ExchangePositionReport[],
  graceSymbols: ReadonlySet<string>,
): OrphanCandidate[] {
  const candidates: OrphanCandidate[] = [];
  for (const [key, exposure] of actualExposure(reports)) {
    const { symbol, hedgeSide } = exposure;
    if (slotInGrace(graceSymbols, symbol, hedgeSide)) continue;
    const actual = new Dec(exposure.signedSize);
    if (actual.isZero()) continue;
    const expectedText = expected.get(key) ?? '0';
    const ours = parseSigned(expectedText, `expected quantity of ${slotLabel(symbol, hedgeSide)}`, 'ORPHANS.INVALID_INPUT');
    const size = unexplained(actual, ours);
    if (size.isZero()) continue;
    candidates.push({
      symbol,
      hedgeSide,
      side: actual.isNegative() ? 'short' : 'long',
      size: decimalString(size),
      exchangeSize: decimalString(actual.abs()),
      expectedSignedQuantity: decimalString(ours),
    });
  }
  return candidates;
}

/** The absolute unexplained size of `actual` given `ours` (both signed); 0 when fully explained. */
function unexplained(actual: Dec, ours: Dec): Dec {
  const sameSide = !ours.isZero() && ours.isNegative() === actual.isNegative();
  if (!sameSide) return actual.abs();
  const excess = actual.abs().minus(ours.abs());
  return excess.isPositive() && !excess.isZero() ? excess : new Dec(0);
}
