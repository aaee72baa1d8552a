import { DomainError } from '../errors/domain-error';
import type { LegOrderStatus } from './leg-order';

/**
 * Leg (order ledger row) lifecycle, and the ONLY table that says which status may follow which.
 * The meaning of each status is on {@link LegOrderStatus}.
 *
 * Invariant: every write of `orders.status` is guarded by {@link legStatusPredecessors} of its
 * target (`UPDATE … WHERE status = ANY(…)`); `FILLED`, `REJECTED` and `SKIPPED` never become
 * anything else, so a fill or a refusal, once recorded, is never overwritten by a late or racing answer.
 */
export const LEG_ORDER_STATUSES = [
  'PLANNED',
  'SUBMITTED',
  'UNCONFIRMED',
  'FILLED',
  'REJECTED',
  'SKIPPED',
] as const satisfies readonly LegOrderStatus[];

const TRANSITIONS: Readonly<Record<LegOrderStatus, readonly LegOrderStatus[]>> = {
  PLANNED: [
    'SUBMITTED',
    // An unwind leg deliberately not sent: nothing left to close, or the exchange holds the other side.
    'SKIPPED',
  ],
  SUBMITTED: [
    // A resend of the same orderLinkId after the exchange showed no trace of the first request.
    'SUBMITTED',
    'FILLED',
    'REJECTED',
    'UNCONFIRMED',
    // An unwind leg with no trace on the exchange, re-decided against the exchange position: not sent.
    'SKIPPED',
  ],
  UNCONFIRMED: [
    // No trace found when settling it: resent with the same orderLinkId.
    'SUBMITTED',
    // Settled by a later attempt or by reconciliation.
    'FILLED',
    'REJECTED',
    // Verification of a resumed attempt timed out again.
    'UNCONFIRMED',
    // As from SUBMITTED: an unwind leg with no trace, re-decided as not to be sent.
    'SKIPPED',
  ],
  FILLED: [
    // Recorded again, never changed: an unwind leg whose outcome a crash left unrecorded is
    // settled again by orderLinkId, and its fills are kept once (same execId).
    'FILLED',
  ],
  REJECTED: [],
  SKIPPED: [],
};

/** True when a leg in `from` may be written as `to`. */
export function canLegTransition(from: LegOrderStatus, to: LegOrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throws `DomainError('LEG.ILLEGAL_TRANSITION')` unless `to` may follow `from`.
 * @returns `to`
 */
export function assertLegTransition(from: LegOrderStatus, to: LegOrderStatus): LegOrderStatus {
  if (!canLegTransition(from, to)) {
    throw new DomainError('LEG.ILLEGAL_TRANSITION', `leg status cannot go from ${from} to ${to}`, { from, to });
  }
  return to;
}

/** Statuses a leg never leaves for another one. */
export function isLegSettled(status: LegOrderStatus): boolean {
  return TRANSITIONS[status].every((to) => to === status);
}

/** The statuses allowed to precede `to`, for a guarded `UPDATE orders … WHERE status = ANY(…)`. */
export function legStatusPredecessors(to: LegOrderStatus): LegOrderStatus[] {
  return LEG_ORDER_STATUSES.filter((from) => canLegTransition(from, to));
}
