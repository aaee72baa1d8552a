import type { TrackedLeg } from '@legwork/domain';
import type { HeldLeg } from '@legwork/persistence';

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
