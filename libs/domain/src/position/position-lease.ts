import { DomainError } from '../errors/domain-error';
import type { PositionStatus } from './position-status';

/**
 * Who may work on a position: the rules of its working lease (one message delivery at a time).
 * The repository applies them under the position's row lock; they live here so that the rule,
 * not the storage, decides a take-over or a refusal.
 *
 * A lease owner reads `<streamSequence>:<deliveryCount>:<instanceId>` (see {@link leaseOwnerOf}):
 * the stream sequence names the message, so two owners with the same one are two deliveries of it.
 */
export interface LeasedPosition {
  status: PositionStatus;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
}

/** What a claim does with a position: see {@link decideClaim}. */
export type ClaimDecision = 'claim' | 'resume' | 'owned_elsewhere' | 'not_executable';

/** The lease owner of one delivery of one message on one executor instance. */
export function leaseOwnerOf(delivery: { streamSequence: number; deliveryCount: number }, instanceId: string): string {
  return `${delivery.streamSequence}:${delivery.deliveryCount}:${instanceId}`;
}

/** True when `a` and `b` are deliveries of the same message (same stream sequence). */
export function sameMessage(a: string, b: string): boolean {
  const [messageA] = a.split(':');
  const [messageB] = b.split(':');
  return a.includes(':') && b.includes(':') && messageA === messageB;
}

/** True when someone holds the position's lease at `now` (the expiry instant itself is expired). */
export function hasLiveLease(position: Pick<LeasedPosition, 'leaseExpiresAt'>, now: Date): boolean {
  return position.leaseExpiresAt !== null && position.leaseExpiresAt.getTime() > now.getTime();
}

/**
 * Decides a claim by `owner` at `now`:
 * - status `start` → `claim` (the caller moves it to `working`);
 * - status `working` with no live lease, a lease already `owner`'s, or one held by another delivery
 *   of the same message (its holder died mid-work) → `resume` from the ledger;
 * - `working` with a live lease held for another message → `owned_elsewhere` (a true duplicate);
 * - any other status → `not_executable`.
 */
export function decideClaim(
  position: LeasedPosition,
  statuses: { start?: PositionStatus; working: PositionStatus },
  owner: string,
  now: Date,
): ClaimDecision {
  if (statuses.start && position.status === statuses.start) return 'claim';
  if (position.status !== statuses.working) return 'not_executable';
  const holder = position.leaseOwner;
  if (holder && holder !== owner && hasLiveLease(position, now) && !sameMessage(holder, owner)) return 'owned_elsewhere';
  return 'resume';
}

/**
 * Refuses a user's operation (close, rollback, restore) while work holds the position's lease: a
 * restore holds it on an ACTIVE position, and closing under it would trade against it.
 * @throws DomainError `POSITION.BUSY`
 */
export function assertNotBusy(position: Pick<LeasedPosition, 'leaseExpiresAt'>, now: Date): void {
  if (hasLiveLease(position, now)) {
    throw new DomainError('POSITION.BUSY', 'an operation on this position is in progress; try again when it is done');
  }
}
