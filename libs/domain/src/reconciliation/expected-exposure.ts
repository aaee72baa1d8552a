import type { LegSide } from '../composition/compose-basket';
import { DomainError } from '../errors/domain-error';
import type { PositionStatus } from '../position/position-status';
import { Dec, compareText, decimalString, parseUnsigned } from './decimal-input';
import type { HedgeSide } from '../position-mode/position-mode';
import { assertHedgeSide, slotKey } from './position-slot';

/**
 * A leg Legwork believes it holds: `quantity` in base coin (decimal string, > 0), `entryPrice` in
 * USDT (decimal string, > 0). `buy` is long exposure, `sell` is short. `hedgeSide` is the side of
 * a hedge-mode account the leg lives on (see `hedgeSideOfLeg`); absent = one-way mode.
 */
export interface TrackedLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  quantity: string;
  entryPrice: string;
  hedgeSide?: HedgeSide;
}

/**
 * One position of the account as Legwork records it. `legs` is what it believes it holds NOW,
 * already net of any filled close / rollback orders (computed by the caller from its order
 * ledger); a `FAILED` basket passes only its filled legs. `status` is carried for the caller;
 * the exposure math does not depend on it — the legs say what is held.
 */
export interface TrackedPosition {
  positionId: string;
  status: PositionStatus;
  legs: TrackedLeg[];
}

/** One leg's share of a symbol's expected exposure. */
export interface ExposureContributor {
  positionId: string;
  legIndex: number;
  /** Base coin, + long / − short. */
  signedQuantity: string;
}

/** What all tracked positions together should hold in one slot (symbol, or symbol and hedge side). */
export interface SymbolExposure {
  /** Σ of the contributors, base coin, + long / − short. */
  signedQuantity: string;
  /** Sorted by positionId, then legIndex. */
  contributors: ExposureContributor[];
}

/** `buy` 0.1 → +0.1, `sell` 0.1 → −0.1. */
export function signedLegQuantity(side: LegSide, quantity: string): string {
  return decimalString(signedLegDecimal(side, quantity));
}

function signedLegDecimal(side: LegSide, quantity: string): Dec {
  const q = parseUnsigned(quantity, 'leg quantity', 'RECONCILIATION.INVALID_INPUT', true);
  return side === 'buy' ? q : q.neg();
}

/**
 * The signed quantity per slot that the given positions expect on the exchange (one account).
 * One-way legs net by symbol; hedge-mode legs add up per (symbol, side) and never net across sides.
 *
 * Invariant: each slot's `signedQuantity` is exactly the sum of its contributors, and every leg
 * of every position is exactly one contributor. Output does not depend on input order.
 *
 * @returns slot key (`slotKey`: the symbol in one-way mode, `BTCUSDT:long` in hedge mode) →
 *   exposure; iteration order is by key.
 * @throws DomainError `RECONCILIATION.INVALID_INPUT` for a position id given twice, a leg index
 *   given twice within a position, a non-positive or non-decimal quantity, an unknown side, an
 *   empty symbol, or a hedge side the leg does not point to (a sell leg on the long side). A duplicated position would double its expected exposure and show a false
 *   deviation, so it is refused rather than guessed at.
 */
export function expectedExposure(positions: readonly TrackedPosition[]): Map<string, SymbolExposure> {
  assertDistinctPositions(positions);
  const bySlot = new Map<string, { total: Dec; contributors: ExposureContributor[] }>();
  for (const position of positions) {
    for (const leg of position.legs) {
      const signed = signedLegDecimal(leg.side, leg.quantity);
      const key = slotKey(leg.symbol, leg.hedgeSide);
      const entry = bySlot.get(key) ?? { total: new Dec(0), contributors: [] };
      entry.total = entry.total.plus(signed);
      entry.contributors.push({ positionId: position.positionId, legIndex: leg.legIndex, signedQuantity: decimalString(signed) });
      bySlot.set(key, entry);
    }
  }
  const result = new Map<string, SymbolExposure>();
  for (const key of [...bySlot.keys()].sort(compareText)) {
    const { total, contributors } = bySlot.get(key) as { total: Dec; contributors: ExposureContributor[] };
    contributors.sort((a, b) => compareText(a.positionId, b.positionId) || a.legIndex - b.legIndex);
    result.set(key, { signedQuantity: decimalString(total), contributors });
  }
  return result;
}

function assertDistinctPositions(positions: readonly TrackedPosition[]): void {
  const seen = new Set<string>();
  for (const position of positions) {
    if (seen.has(position.positionId)) {
      throw new DomainError('RECONCILIATION.INVALID_INPUT', `position ${position.positionId} is listed twice`, {
        positionId: position.positionId,
      });
    }
    seen.add(position.positionId);
    const legIndexes = new Set<number>();
    for (const leg of position.legs) {
      if (legIndexes.has(leg.legIndex)) {
        throw new DomainError('RECONCILIATION.INVALID_INPUT', `position ${position.positionId} lists leg ${leg.legIndex} twice`, {
          positionId: position.positionId,
          legIndex: leg.legIndex,
        });
      }
      legIndexes.add(leg.legIndex);
      if (!leg.symbol) {
        throw new DomainError('RECONCILIATION.INVALID_INPUT', `position ${position.positionId} leg ${leg.legIndex} has no symbol`, {
          positionId: position.positionId,
          legIndex: leg.legIndex,
        });
      }
      if (leg.side !== 'buy' && leg.side !== 'sell') {
        throw new DomainError(
          'RECONCILIATION.INVALID_INPUT',
          `position ${position.positionId} leg ${leg.legIndex} has side ${String(leg.side)}`,
          {
            positionId: position.positionId,
            legIndex: leg.legIndex,
          },
        );
      }
      assertHedgeSide(leg.hedgeSide, leg.side === 'buy' ? 'long' : 'short', `position ${position.positionId} leg ${leg.legIndex}`);
    }
  }
}
