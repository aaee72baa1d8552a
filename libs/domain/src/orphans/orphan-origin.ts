/**
 * Where an orphan came from:
 * - `legwork_order`: one of OUR orders (it carries a Legwork `orderLinkId`) left exposure nothing
 *   tracks — a Legwork bug, like seed 004's wrong-side rollback. Critical.
 * - `manual_trade`: no Legwork order among the recent executions; the user traded by hand. Warning.
 */
export type OrphanOrigin = 'legwork_order' | 'manual_trade';

export type OrphanAlertSeverity = 'critical' | 'warning';

/**
 * Classifies an orphan from the `orderLinkId`s of the symbol's recent order fills (the caller
 * leaves out funding settlements and the exchange's own closes: they fill no order of anyone's).
 *
 * The domain does not know the venue's id format (that lives in libs/exchange), so the caller
 * passes `isLegworkId`. Empty ids are skipped without asking it: orders placed by hand on Bybit
 * carry an empty `orderLinkId`, and "no id" can never be evidence that the order was ours.
 *
 * "Any" rather than "most": one execution of ours is enough to make it our bug, and a bug must
 * not hide behind manual trades in the same symbol.
 */
export function classifyOrphanOrigin(recentExecutionOrderLinkIds: readonly string[], isLegworkId: (id: string) => boolean): OrphanOrigin {
  return recentExecutionOrderLinkIds.some((id) => id !== '' && isLegworkId(id)) ? 'legwork_order' : 'manual_trade';
}

/** Our own order left untracked is critical; a manual trade is a warning. */
export function orphanAlertSeverity(origin: OrphanOrigin): OrphanAlertSeverity {
  return origin === 'legwork_order' ? 'critical' : 'warning';
}
