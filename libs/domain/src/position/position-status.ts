import { DomainError } from '../errors/domain-error';

/**
 * Position lifecycle, and the ONLY table that says which status may follow which.
 *
 * Invariant: every write of `synthetic_positions.status` anywhere in Legwork goes through
 * {@link assertTransition}; terminal states (`CLOSED`, `ROLLED_BACK`) never change again.
 * `ACTIVE` and `FAILED` are settled but not terminal: a user may still close / unwind them.
 */
export const POSITION_STATUSES = ['PENDING', 'EXECUTING', 'ACTIVE', 'FAILED', 'CLOSING', 'CLOSED', 'ROLLING_BACK', 'ROLLED_BACK'] as const;

export type PositionStatus = (typeof POSITION_STATUSES)[number];

const TRANSITIONS: Readonly<Record<PositionStatus, readonly PositionStatus[]>> = {
  PENDING: [
    'EXECUTING',
    // Rejected before any order was sent (e.g. composition below the exchange minimums).
    'FAILED',
  ],
  EXECUTING: ['ACTIVE', 'FAILED'],
  ACTIVE: ['CLOSING'],
  FAILED: ['ROLLING_BACK'],
  CLOSING: [
    'CLOSED',
    // A close that could not finish (e.g. side mismatch) returns to ACTIVE so it can be retried.
    'ACTIVE',
  ],
  ROLLING_BACK: [
    'ROLLED_BACK',
    // An unwind that could not finish returns to FAILED: exposure is still held and shown.
    'FAILED',
  ],
  CLOSED: [],
  ROLLED_BACK: [],
};

/** True when `to` may directly follow `from`. */
export function canTransition(from: PositionStatus, to: PositionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throws `DomainError('POSITION.ILLEGAL_TRANSITION')` unless `to` may follow `from`.
 * @returns `to`, so callers can write `status = assertTransition(current, 'ACTIVE')`.
 */
export function assertTransition(from: PositionStatus, to: PositionStatus): PositionStatus {
  if (!canTransition(from, to)) {
    throw new DomainError('POSITION.ILLEGAL_TRANSITION', `position status cannot go from ${from} to ${to}`, {
      from,
      to,
    });
  }
  return to;
}

/** Statuses from which no transition leads anywhere. */
export function isTerminal(status: PositionStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** The statuses allowed to precede `to` (used to build guarded `UPDATE … WHERE status IN (…)`). */
export function allowedPredecessors(to: PositionStatus): PositionStatus[] {
  return POSITION_STATUSES.filter((from) => canTransition(from, to));
}

export function isPositionStatus(value: string): value is PositionStatus {
  return (POSITION_STATUSES as readonly string[]).includes(value);
}
