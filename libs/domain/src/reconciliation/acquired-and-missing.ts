import type { LegSide } from '../composition/compose-basket';
import { DomainError } from '../errors/domain-error';
import { decimalString, parseUnsigned } from './decimal-input';
import type { TrackedLeg } from './expected-exposure';

/** A component of the basket as planned (a `PlannedLeg` fits); quantity base coin, decimal string. */
export interface PlannedComponent {
  legIndex: number;
  symbol: string;
  side: LegSide;
  quantity: string;
}

/** A planned component that was (at least partly) filled. */
export interface AcquiredLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  plannedQuantity: string;
  /** May be below `plannedQuantity` after a partial fill. */
  filledQuantity: string;
  /** USDT. */
  entryPrice: string;
}

/** A planned component with no fill at all. */
export interface MissingLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  plannedQuantity: string;
}

export interface AcquiredAndMissing {
  /** Sorted by legIndex. */
  acquired: AcquiredLeg[];
  /** Sorted by legIndex. */
  missing: MissingLeg[];
}

/**
 * Which components of a basket were acquired and which are missing (seed 000: a halted basket is
 * shown "exactly which components were successfully acquired and which are missing", so the user
 * decides what to do; nothing is reversed automatically).
 *
 * Legs are matched by `legIndex`; a filled leg must agree with its plan on symbol and side.
 *
 * @throws DomainError `RECONCILIATION.INVALID_INPUT` for a leg index listed twice on either side,
 *   a filled leg that was never planned, or one whose symbol or side differs from its plan — a
 *   ledger that says so is wrong, and showing it as "acquired" would hide that.
 */
export function acquiredAndMissing(planned: readonly PlannedComponent[], filled: readonly TrackedLeg[]): AcquiredAndMissing {
  const plan = indexByLeg(planned, 'planned');
  const fills = indexByLeg(filled, 'filled');
  for (const leg of fills.values()) {
    const intended = plan.get(leg.legIndex);
    if (!intended || intended.symbol !== leg.symbol || intended.side !== leg.side) {
      throw new DomainError(
        'RECONCILIATION.INVALID_INPUT',
        intended
          ? `filled leg ${leg.legIndex} is ${leg.side} ${leg.symbol} but was planned as ${intended.side} ${intended.symbol}`
          : `filled leg ${leg.legIndex} (${leg.symbol}) was never planned`,
        { legIndex: leg.legIndex },
      );
    }
  }
  const acquired: AcquiredLeg[] = [];
  const missing: MissingLeg[] = [];
  for (const component of [...plan.values()].sort((a, b) => a.legIndex - b.legIndex)) {
    const plannedQuantity = decimalString(
      parseUnsigned(component.quantity, `planned quantity of leg ${component.legIndex}`, 'RECONCILIATION.INVALID_INPUT'),
    );
    const fill = fills.get(component.legIndex);
    const base = { legIndex: component.legIndex, symbol: component.symbol, side: component.side, plannedQuantity };
    if (fill) {
      const filledQuantity = parseUnsigned(fill.quantity, `filled quantity of leg ${fill.legIndex}`, 'RECONCILIATION.INVALID_INPUT', true);
      acquired.push({ ...base, filledQuantity: decimalString(filledQuantity), entryPrice: fill.entryPrice });
    } else {
      missing.push(base);
    }
  }
  return { acquired, missing };
}

function indexByLeg<T extends { legIndex: number }>(legs: readonly T[], what: string): Map<number, T> {
  const byIndex = new Map<number, T>();
  for (const leg of legs) {
    if (byIndex.has(leg.legIndex)) {
      throw new DomainError('RECONCILIATION.INVALID_INPUT', `${what} leg ${leg.legIndex} is listed twice`, { legIndex: leg.legIndex });
    }
    byIndex.set(leg.legIndex, leg);
  }
  return byIndex;
}
