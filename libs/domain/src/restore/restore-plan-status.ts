import { DomainError } from '../errors/domain-error';

/**
 * Restore-plan lifecycle, and the ONLY table that says which status may follow which.
 *
 * - `proposed`  shown to the user with the exchange snapshot it was made from; valid until it expires.
 * - `executing` confirmed: its command is on the way to (or running in) the executor.
 * - `executed`  the executor placed its trades (some may have failed: see the restore legs).
 * - `refused`   confirmed after the exchange moved since the snapshot: never executed.
 * - `stale`     confirmed, then found by the executor, under the position's lease before its first
 *               trade, to no longer match the exchange (a manual trade since the confirmation, or
 *               another plan of the same position that ran first): never executed.
 *
 * Invariant: a plan executes at most once — every write of `restore_plans.status` is guarded by
 * {@link restorePlanPredecessors} of its target, and `executed` / `refused` / `stale` never change
 * again. `stale` is its own status rather than `executing → refused` so that a late refusal from a
 * confirmation (the gateway's request racing the executor) can never stop a plan that runs.
 */
export const RESTORE_PLAN_STATUSES = ['proposed', 'executing', 'executed', 'refused', 'stale'] as const;

export type RestorePlanStatus = (typeof RESTORE_PLAN_STATUSES)[number];

const TRANSITIONS: Readonly<Record<RestorePlanStatus, readonly RestorePlanStatus[]>> = {
  proposed: ['executing', 'refused'],
  // executing → stale: only the executor's check under the lease, before the plan's first trade.
  executing: ['executed', 'stale'],
  executed: [],
  refused: [],
  stale: [],
};

/** True when a plan in `from` may be written as `to`. */
export function canRestorePlanTransition(from: RestorePlanStatus, to: RestorePlanStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses allowed to precede `to`, for a guarded `UPDATE restore_plans … WHERE status = ANY(…)`. */
export function restorePlanPredecessors(to: RestorePlanStatus): RestorePlanStatus[] {
  return RESTORE_PLAN_STATUSES.filter((from) => canRestorePlanTransition(from, to));
}

/** True when the plan's validity has run out at `now` (the instant `expiresAt` itself still counts as valid). */
export function isRestorePlanExpired(plan: { expiresAt: Date }, now: Date): boolean {
  return plan.expiresAt.getTime() < now.getTime();
}

/**
 * Refuses to start a plan that cannot be executed any more at `now`.
 * @throws DomainError `RESTORE.PLAN_USED` when it is no longer `proposed`; `RESTORE.PLAN_EXPIRED`
 *   when its validity ran out (the user asks for a new one)
 */
export function assertRestorePlanExecutable(plan: { id: string; status: RestorePlanStatus; expiresAt: Date }, now: Date): void {
  if (!canRestorePlanTransition(plan.status, 'executing')) {
    throw new DomainError('RESTORE.PLAN_USED', `restore plan ${plan.id} is already ${plan.status}`, {
      planId: plan.id,
      status: plan.status,
    });
  }
  if (isRestorePlanExpired(plan, now)) {
    throw new DomainError('RESTORE.PLAN_EXPIRED', `restore plan ${plan.id} expired at ${plan.expiresAt.toISOString()}; ask for a new one`, {
      planId: plan.id,
      expiresAt: plan.expiresAt.toISOString(),
    });
  }
}
