import { slotKey, type TrackedLeg } from '@legwork/domain';
import type { AccountPosition, HeldLeg } from '@legwork/persistence';

/** A held leg as the domain tracks it (its hedge side only in hedge mode); quantities and prices stay decimal strings. */
export function trackedLeg(l: HeldLeg): TrackedLeg {
  return {
    legIndex: l.legIndex,
    symbol: l.symbol,
    side: l.side,
    quantity: l.quantity,
    entryPrice: l.entryPrice,
    ...(l.hedgeSide ? { hedgeSide: l.hedgeSide } : {}),
  };
}

/**
 * The slots (`slotKey`; a bare symbol for a one-way order: every slot of it) of work in progress:
 * every leg held and every order sent or planned by a position in flight. An order sent but not
 * yet recorded filled may already hold exposure, however long its verification takes.
 */
export function inFlightSlots(positions: readonly AccountPosition[]): Set<string> {
  return new Set(
    positions.filter((p) => p.inFlight).flatMap((p) => [...p.legs.map((l) => slotKey(l.symbol, l.hedgeSide)), ...p.orderSlots]),
  );
}
