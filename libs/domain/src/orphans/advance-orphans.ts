import { DomainError } from '../errors/domain-error';
import { compareText } from '../reconciliation/decimal-input';
import type { OrphanCandidate } from './untracked-exposure';

/** `suspected` until seen in enough consecutive scans, then `confirmed` (alerted once). */
export type OrphanStateStatus = 'suspected' | 'confirmed';

/** One orphan followed across scans of one account. `size` base coin, decimal string. */
export interface OrphanState {
  symbol: string;
  side: 'long' | 'short';
  size: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Scans in a row that have seen this (symbol, side), this one included. */
  consecutiveScans: number;
  status: OrphanStateStatus;
}

export interface OrphanScanOutcome {
  /** Every orphan still seen, to store for the next scan; sorted by symbol. */
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
 * Identity is (symbol, side). The same pair seen again extends the streak and takes the new size
 * (a manual trade that grows or shrinks is still the same orphan); a side flip is a different
 * exposure, so the old orphan ends (resolved or dropped) and a new one starts at 1. A pair not
 * seen in this scan ends its streak; seen again later, it starts from 1.
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
 *   `ORPHANS.INVALID_INPUT` for an invalid date or threshold, or a symbol listed twice in
 *   `previous` or in `candidates` (one-way mode: one position, so at most one orphan, per symbol).
 */
export function advanceOrphans(
  previous: readonly OrphanState[],
  candidates: readonly OrphanCandidate[],
  scanAt: Date,
  confirmAfterScans: number = DEFAULT_ORPHAN_CONFIRM_AFTER_SCANS,
): OrphanScanOutcome {
  assertInputs(previous, candidates, scanAt, confirmAfterScans);
  const before = new Map(previous.map((state) => [state.symbol, state]));
  const seenAt = new Date(scanAt.getTime());

  const next: OrphanState[] = [];
  const confirmed: OrphanState[] = [];
  const resolved: OrphanState[] = [];
  const dropped: OrphanState[] = [];

  for (const candidate of candidates) {
    const known = before.get(candidate.symbol);
    const continues = known !== undefined && known.side === candidate.side;
    const consecutiveScans = continues ? known.consecutiveScans + 1 : 1;
    const crosses = consecutiveScans >= confirmAfterScans && (!continues || known.status === 'suspected');
    const state: OrphanState = {
      symbol: candidate.symbol,
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

  const stillSeen = new Set(next.map((state) => `${state.symbol}|${state.side}`));
  for (const state of previous) {
    if (stillSeen.has(`${state.symbol}|${state.side}`)) continue;
    (state.status === 'confirmed' ? resolved : dropped).push(state);
  }

  const bySymbol = (a: OrphanState, b: OrphanState) => compareText(a.symbol, b.symbol);
  return { next: next.sort(bySymbol), confirmed: confirmed.sort(bySymbol), resolved: resolved.sort(bySymbol), dropped: dropped.sort(bySymbol) };
}

function assertInputs(previous: readonly OrphanState[], candidates: readonly OrphanCandidate[], scanAt: Date, confirmAfterScans: number): void {
  if (!(scanAt instanceof Date) || Number.isNaN(scanAt.getTime())) {
    throw new DomainError('ORPHANS.INVALID_INPUT', 'scanAt is not a valid date');
  }
  if (!Number.isInteger(confirmAfterScans) || confirmAfterScans < 1) {
    throw new DomainError('ORPHANS.INVALID_INPUT', `confirmAfterScans must be an integer ≥ 1, got ${confirmAfterScans}`, { confirmAfterScans });
  }
  assertOnePerSymbol(previous.map((s) => s.symbol), 'previous orphan states');
  assertOnePerSymbol(candidates.map((c) => c.symbol), 'orphan candidates');
  const stale = previous.find((state) => state.lastSeenAt.getTime() >= scanAt.getTime());
  if (stale) {
    throw new DomainError(
      'ORPHANS.STALE_SCAN',
      `scan at ${scanAt.toISOString()} is not newer than the last scan that saw ${stale.symbol} (${stale.lastSeenAt.toISOString()})`,
      { scanAt: scanAt.toISOString(), lastSeenAt: stale.lastSeenAt.toISOString(), symbol: stale.symbol },
    );
  }
}

function assertOnePerSymbol(symbols: string[], what: string): void {
  const seen = new Set<string>();
  for (const symbol of symbols) {
    if (seen.has(symbol)) {
      throw new DomainError('ORPHANS.INVALID_INPUT', `${what} list ${symbol} twice`, { symbol });
    }
    seen.add(symbol);
  }
}
