import { DomainError } from '../errors/domain-error';
import type { HedgeSide } from '../position-mode/position-mode';
import { compareSlots, slotKey, slotLabel } from '../reconciliation/position-slot';
import type { OrphanCandidate } from './untracked-exposure';

/** `suspected` until seen in enough consecutive scans, then `confirmed` (alerted once). */
export type OrphanStateStatus = 'suspected' | 'confirmed';

/** One orphan followed across scans of one account. `size` base coin, decimal string. */
export interface OrphanState {
  symbol: string;
  /** The side of a hedge-mode account; null in one-way mode. */
  hedgeSide: HedgeSide | null;
  side: 'long' | 'short';
  size: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Scans in a row that have seen this (slot, side), this one included. */
  consecutiveScans: number;
  status: OrphanStateStatus;
}

export interface OrphanScanOutcome {
  /** Every orphan still seen, to store for the next scan; sorted by symbol, then hedge side. */
  next: OrphanState[];
  /** Crossed the threshold in THIS scan: alert these, and only these. */
  confirmed: OrphanState[];
  /** Were confirmed and are gone now (as last seen): tell whoever was alerted. */
  resolved: OrphanState[];
  /** Suspected and gone before confirmation (as last seen): never alerted, nothing to say. */
  dropped: OrphanState[];
}

/** DESIGN: an orphan is confirmed after 2 consecutive scans (seed 004's "require 2 consecutive scans"). */
export const DEFAULT_ORPHAN_CONFIRM_AFTER_SCANS = 2;

/**
 * Advances the orphan states of one account by one scan.
 *
 * Identity is (slot, side), the slot being the symbol in one-way mode and (symbol, hedge side) in
 * hedge mode, where an orphan on the short side and one on the long side of a symbol are two
 * orphans with their own streaks. The same pair seen again extends the streak and takes the new
 * size (a manual trade that grows or shrinks is still the same orphan); a side flip is a
 * different exposure, so the old orphan ends (resolved or dropped) and a new one starts at 1. A
 * pair not seen in this scan ends its streak; seen again later, it starts from 1.
 *
 * Invariant: an orphan appears in `confirmed` exactly once per streak — in the scan where its
 * streak reaches `confirmAfterScans` — so a persisting orphan is never re-alerted every 5 minutes.
 * Only a confirmed orphan can be `resolved`; a suspected one that disappears is `dropped`.
 *
 * Why a scan must be newer than the state: a redelivered scan job applied twice would count one
 * observation as two and confirm an orphan nobody saw twice.
 *
 * @param confirmAfterScans integer ≥ 1; 1 confirms on first sight.
 * @throws DomainError `ORPHANS.STALE_SCAN` when `scanAt` is not after every `previous[].lastSeenAt`;
 *   `ORPHANS.INVALID_INPUT` for an invalid date or threshold, or a slot listed twice in
 *   `previous` or in `candidates` (one position, so at most one orphan, per slot).
 */
export function advanceOrphans(
  previous: readonly OrphanState[],
  candidates: readonly OrphanCandidate[],
  scanAt: Date,
  confirmAfterScans: number = DEFAULT_ORPHAN_CONFIRM_AFTER_SCANS,
): OrphanScanOutcome {
  assertInputs(previous, candidates, scanAt, confirmAfterScans);
  const before = new Map(previous.map((state) => [slotKey(state.symbol, state.hedgeSide), state]));
  const seenAt = new Date(scanAt.getTime());

  const next: OrphanState[] = [];
  const confirmed: OrphanState[] = [];
  const resolved: OrphanState[] = [];
  const dropped: OrphanState[] = [];

  for (const candidate of candidates) {
    const known = before.get(slotKey(candidate.symbol, candidate.hedgeSide));
    const continues = known !== undefined && known.side === candidate.side;
    const consecutiveScans = continues ? known.consecutiveScans + 1 : 1;
    const crosses = consecutiveScans >= confirmAfterScans && (!continues || known.status === 'suspected');
    const state: OrphanState = {
      symbol: candidate.symbol,
      hedgeSide: candidate.hedgeSide,
      side: candidate.side,
      size: candidate.size,
      firstSeenAt: continues ? known.firstSeenAt : seenAt,
      lastSeenAt: seenAt,
      consecutiveScans,
      status: crosses || (continues && known.status === 'confirmed') ? 'confirmed' : 'suspected',
    };
    next.push(state);
    if (crosses) confirmed.push(state);
  }

  const identity = (state: OrphanState) => `${slotKey(state.symbol, state.hedgeSide)}|${state.side}`;
  const stillSeen = new Set(next.map(identity));
  for (const state of previous) {
    if (stillSeen.has(identity(state))) continue;
    (state.status === 'confirmed' ? resolved : dropped).push(state);
  }

  return {
    next: next.sort(compareSlots),
    confirmed: confirmed.sort(compareSlots),
    resolved: resolved.sort(compareSlots),
    dropped: dropped.sort(compareSlots),
  };
}

function assertInputs(
  previous: readonly OrphanState[],
  candidates: readonly OrphanCandidate[],
  scanAt: Date,
  confirmAfterScans: number,
): void {
  if (!(scanAt instanceof Date) || Number.isNaN(scanAt.getTime())) {
    throw new DomainError('ORPHANS.INVALID_INPUT', 'scanAt is not a valid date');
  }
  if (!Number.isInteger(confirmAfterScans) || confirmAfterScans < 1) {
    throw new DomainError('ORPHANS.INVALID_INPUT', `confirmAfterScans must be an integer ≥ 1, got ${confirmAfterScans}`, {
      confirmAfterScans,
    });
  }
  assertOnePerSlot(previous, 'previous orphan states');
  assertOnePerSlot(candidates, 'orphan candidates');
  const stale = previous.find((state) => state.lastSeenAt.getTime() >= scanAt.getTime());
  if (stale) {
    throw new DomainError(
      'ORPHANS.STALE_SCAN',
      `scan at ${scanAt.toISOString()} is not newer than the last scan that saw ${slotLabel(stale.symbol, stale.hedgeSide)} (${stale.lastSeenAt.toISOString()})`,
      { scanAt: scanAt.toISOString(), lastSeenAt: stale.lastSeenAt.toISOString(), symbol: stale.symbol },
    );
  }
}

function assertOnePerSlot(slots: readonly { symbol: string; hedgeSide: HedgeSide | null }[], what: string): void {
  const seen = new Set<string>();
  for (const { symbol, hedgeSide } of slots) {
    const key = slotKey(symbol, hedgeSide);
    if (seen.has(key)) {
      throw new DomainError('ORPHANS.INVALID_INPUT', `${what} list ${slotLabel(symbol, hedgeSide)} twice`, { symbol, hedgeSide });
    }
    seen.add(key);
  }
}
