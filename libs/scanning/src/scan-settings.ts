/** Settings of the scans (from each service's config). Durations in milliseconds. */
export interface ScanSettings {
  /** Bus namespace, for alert subjects. */
  namespace: string;
  /** Consecutive scans that confirm an orphan (default 2, seed 004). */
  orphanConfirmScans: number;
  /** Our own fills younger than this put their symbol in grace (not yet orphan material). */
  orphanGraceMs: number;
  /** How far back executions are read to tell "our order" from "a manual trade". */
  orphanOriginLookbackMs: number;
  /** An EXECUTING position without a live lease for this long is reported stuck. */
  stuckAfterMs: number;
}
