import { createHash } from 'node:crypto';

/**
 * Which accounts' private streams this orphan-monitor replica follows: one lease per account in
 * NATS KV, shared fairly among the live replicas. Pure: the KV reads come in, the writes to try
 * come out ({@link planStreamLeases}); the adapter is stream-leases.ts, the loop stream-lease.keeper.ts.
 *
 * Invariant: **no account is followed by two replicas at once, as long as the replicas' clocks
 * differ by less than a third of the lease time** (`STREAM_LEASE_TTL_MS / 3`, 5 s by default,
 * less any event-loop stall of the holder). Why: a lease written at `sentAtMs` (the holder's
 * clock, taken before the write) carries `expiresAtMs = sentAtMs + ttl`; another replica takes it
 * over only once its own clock passes `expiresAtMs`, and only by compare-and-set on the revision
 * it read (so two takers cannot both win, and a renewal that raced a take-over loses); the holder
 * stops following at `sentAtMs + 2/3 ttl` ({@link followUntilMs}) unless a later renewal
 * succeeded, and at once when a renewal finds the lease taken. nats-server 2.9 has no per-message
 * TTL (2.11), hence expiry in the value rather than in the server.
 */

/** A lease as read from KV: who holds it, until when (epoch ms, the holder's clock), at which revision. */
export interface LeaseView {
  holder: string;
  expiresAtMs: number;
  revision: number;
}

/** A replica's heartbeat as read from KV (epoch ms, the replica's clock). */
export interface ReplicaView {
  replicaId: string;
  expiresAtMs: number;
}

export interface LeasePlanInput {
  /** This replica's id (the holder name it writes). */
  self: string;
  /** This replica's clock, epoch ms. */
  nowMs: number;
  /** Accounts holding a live position: the ones to follow. */
  wanted: readonly string[];
  /** The lease of each wanted or followed account that has one (absent or deleted: no entry). */
  leases: ReadonlyMap<string, LeaseView>;
  /** Every replica heartbeat in KV (expired ones included; they are ignored). */
  replicas: readonly ReplicaView[];
  /** Accounts this replica follows now. */
  following: readonly string[];
}

export interface LeasePlan {
  /** Followed, but the lease is no longer ours (taken over, or gone): stop following now, write nothing. */
  stop: string[];
  /** Ours, to give up (no live position any more, or above our fair share): stop following, then delete at `revision`. */
  release: { accountId: string; revision: number }[];
  /** Ours, to keep: rewrite at `revision` with a new expiry. */
  renew: { accountId: string; revision: number }[];
  /** Free, to take: create (`revision` null: no lease) or take over an expired one at `revision`. */
  acquire: { accountId: string; revision: number | null }[];
}

/**
 * Plans one lease round of replica `self`. Fair share = ceil(wanted / live replicas), this one
 * counted even when its own heartbeat is not written yet: it keeps up to its share of the wanted
 * accounts it holds (releasing the rest), and takes free or expired ones up to its share, in an
 * order of its own (a hash of replica and account) so that replicas racing for free accounts
 * mostly ask for different ones. Deterministic; no I/O.
 */
export function planStreamLeases(input: LeasePlanInput): LeasePlan {
  const { self, nowMs, leases } = input;
  const wanted = new Set(input.wanted);
  const live = new Set(input.replicas.filter((r) => r.expiresAtMs > nowMs).map((r) => r.replicaId));
  live.add(self);
  const share = Math.ceil(wanted.size / live.size);

  const ours = (accountId: string) => leases.get(accountId)?.holder === self;
  const stop = input.following.filter((accountId) => !ours(accountId));
  const release: LeasePlan['release'] = [];
  const kept: LeasePlan['renew'] = [];
  for (const [accountId, lease] of [...leases].sort(([a], [b]) => a.localeCompare(b))) {
    if (lease.holder !== self) continue;
    if (wanted.has(accountId) && kept.length < share) kept.push({ accountId, revision: lease.revision });
    else release.push({ accountId, revision: lease.revision });
  }
  const free = [...wanted]
    .filter((accountId) => {
      const lease = leases.get(accountId);
      return !lease || (lease.holder !== self && lease.expiresAtMs <= nowMs);
    })
    .sort((a, b) => preference(self, a).localeCompare(preference(self, b)));
  const acquire = free
    .slice(0, Math.max(0, share - kept.length))
    .map((accountId) => ({ accountId, revision: leases.get(accountId)?.revision ?? null }));
  return { stop, release, renew: kept, acquire };
}

/** Until when (epoch ms, the holder's clock) a lease written at `sentAtMs` may be followed: two thirds of its time (see the invariant above). */
export function followUntilMs(sentAtMs: number, ttlMs: number): number {
  return sentAtMs + Math.floor((ttlMs * 2) / 3);
}

function preference(self: string, accountId: string): string {
  return createHash('sha1').update(`${self}\n${accountId}`).digest('hex');
}
