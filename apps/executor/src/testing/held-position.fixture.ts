import type { AccountPosition } from '@legwork/persistence';

/**
 * A settled one-way position as the scans' account view gives it (`AccountPosition`), holding one
 * long leg: `quantity` base coin of `symbol` bought at `entryPrice`, held since `heldSince`.
 * For the unit specs of what reads that view; `over` replaces any field.
 */
export function heldPosition(
  id: string,
  leg: { symbol: string; quantity: string; entryPrice: string; heldSince?: Date },
  over: Partial<AccountPosition> = {},
): AccountPosition {
  return {
    id,
    status: 'ACTIVE',
    health: 'IN_SYNC',
    leaseExpiresAt: null,
    updatedAt: new Date(0),
    positionMode: 'one_way',
    inFlight: false,
    legs: [
      {
        legIndex: 0,
        symbol: leg.symbol,
        side: 'buy',
        quantity: leg.quantity,
        openedQuantity: leg.quantity,
        entryPrice: leg.entryPrice,
        heldSince: leg.heldSince ?? new Date(0),
      },
    ],
    orderSlots: [leg.symbol],
    unsettledUnwinds: [],
    openDeviationSymbols: [],
    ...over,
  };
}
