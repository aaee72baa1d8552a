import { z } from 'zod';
import { positiveInt } from '@legwork/observability';

/** Settings of the scans (from each service's config). Durations in milliseconds. */
export interface ScanSettings {
  /** Bus namespace, for alert subjects. */
  namespace: string;
  /** Consecutive scans that confirm an orphan (default 2, seed 004). */
  orphanConfirmScans: number;
  /**
   * Our own fills younger than this put their symbol in grace (not yet orphan material); so does
   * a position executing / closing that changed within it.
   */
  orphanGraceMs: number;
  /** How far back executions are read to tell "our order" from "a manual trade". */
  orphanOriginLookbackMs: number;
  /** An EXECUTING position without a live lease for this long is reported stuck. */
  stuckAfterMs: number;
}

/** Environment of the orphan and reconciliation rules, read by the scan services (the orphan monitor's one-shot scan the CLI runs too) and the gateway's restore preview. */
export const scanRulesEnv = {
  ORPHAN_CONFIRM_SCANS: positiveInt.default(2),
  ORPHAN_GRACE_MS: positiveInt.default(120_000),
  ORPHAN_ORIGIN_LOOKBACK_MS: positiveInt.default(7 * 24 * 3_600_000),
  STUCK_EXECUTING_AFTER_MS: positiveInt.default(30 * 60_000),
};

/** {@link ScanSettings} from an environment parsed with {@link scanRulesEnv}. */
export function scanSettingsFrom(env: { BUS_NAMESPACE: string } & { [K in keyof typeof scanRulesEnv]: number }): ScanSettings {
  return {
    namespace: env.BUS_NAMESPACE,
    orphanConfirmScans: env.ORPHAN_CONFIRM_SCANS,
    orphanGraceMs: env.ORPHAN_GRACE_MS,
    orphanOriginLookbackMs: env.ORPHAN_ORIGIN_LOOKBACK_MS,
    stuckAfterMs: env.STUCK_EXECUTING_AFTER_MS,
  };
}

/**
 * Environment of the private exchange streams the orphan monitor follows (issue 18). With
 * `STREAMS_ENABLED=false` (or every stream down) the scans alone run, exactly as before.
 */
export const streamEnv = {
  STREAMS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** New stream connections per 5 minutes from this process (Bybit: 500 per 5 minutes per IP), spaced evenly. */
  STREAM_CONNECTS_PER_5MIN: positiveInt.default(500),
  STREAM_PING_INTERVAL_MS: positiveInt.default(20_000),
  STREAM_PONG_TIMEOUT_MS: positiveInt.default(10_000),
  STREAM_RECONNECT_BASE_MS: positiveInt.default(500),
  STREAM_RECONNECT_CAP_MS: positiveInt.default(30_000),
  /** How often the set of followed accounts (those holding a live position) is re-read. */
  STREAM_ACCOUNTS_REFRESH_MS: positiveInt.default(10_000),
  /**
   * Lease of one account's stream in NATS KV (one replica follows it): a killed replica's accounts
   * are taken over within this + the renew interval; no account is followed twice while the
   * replicas' clocks differ by less than a third of it.
   */
  STREAM_LEASE_TTL_MS: positiveInt.default(15_000),
  /** How often a replica renews its leases and rebalances (at most a third of the lease time). */
  STREAM_LEASE_RENEW_MS: positiveInt.default(3_000),
};

/** The check across {@link streamEnv}'s variables: a lease renewed at least three times per lease time. */
export function leaseTimingProblem(env: { STREAM_LEASE_TTL_MS: number; STREAM_LEASE_RENEW_MS: number }): string | null {
  return env.STREAM_LEASE_RENEW_MS * 3 <= env.STREAM_LEASE_TTL_MS ? null : 'must be at most a third of STREAM_LEASE_TTL_MS';
}
