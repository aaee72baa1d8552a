import Decimal from 'decimal.js';
import { hedgeSideOfOrder, oppositeSide, OthersExpectation } from '@legwork/domain';
import type { AccountPosition, OrderRecord } from '@legwork/persistence';

/**
 * What the account's other positions hold in the exchange position an unwind leg reduces: same
 * symbol, and in hedge mode the same side (the other side is a separate exchange position). In
 * one-way mode the positions net, so an opposite leg counts negative. Quantities in the direction
 * of the leg being unwound (base coin, decimal strings); with their unwind orders in that slot
 * sent but not settled (what those took is not known yet); see `decideUnwindLeg`.
 */
export function othersExpectation(positions: readonly AccountPosition[], ownerId: string, unwindLeg: OrderRecord): OthersExpectation {
  const heldSide = oppositeSide(unwindLeg.side);
  const contributions = positions
    .filter((p) => p.id !== ownerId)
    .map((p) => {
      const quantity = p.legs
        .filter((l) => l.symbol === unwindLeg.symbol)
        .filter((l) => unwindLeg.hedgeSide === null || hedgeSideOfOrder(p.positionMode, l.side, false) === unwindLeg.hedgeSide)
        .reduce((sum, l) => (l.side === heldSide ? sum.plus(l.quantity) : sum.minus(l.quantity)), new Decimal(0));
      return { positionId: p.id, quantity };
    })
    .filter((c) => !c.quantity.isZero());
  const unsettled = positions
    .filter((p) => p.id !== ownerId)
    .flatMap((p) =>
      p.unsettledUnwinds
        .filter((o) => o.symbol === unwindLeg.symbol && o.hedgeSide === unwindLeg.hedgeSide)
        .map((o) => ({ positionId: p.id, orderLinkId: o.orderLinkId })),
    );
  return {
    quantity: contributions.reduce((sum, c) => sum.plus(c.quantity), new Decimal(0)).toString(),
    positions: contributions.map((c) => ({ positionId: c.positionId, quantity: c.quantity.toString() })),
    ...(unsettled.length > 0 ? { unsettledUnwinds: unsettled } : {}),
  };
}
