import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { KV, KvEntry, Kvm } from '@nats-io/kv';
import { nanos } from '@nats-io/nats-core';
import { z } from 'zod';
import type { Bus } from '@legwork/messaging';
import type { LeaseView, ReplicaView } from './stream-lease-plan';

/** A lease write: ours now (at `revision`), taken (another replica wrote first), or unknown (no answer; the next read tells). */
export type LeaseWrite = { kind: 'held'; revision: number } | { kind: 'taken' } | { kind: 'unknown'; error: unknown };

const leaseValue = z.object({ holder: z.string(), expiresAtMs: z.number() });
const heartbeatValue = z.object({ expiresAtMs: z.number() });

/** The KV bucket of the stream leases under a bus namespace (`<ns>_stream_leases`, or `stream_leases` in production). */
export function streamLeaseBucket(namespace: string): string {
  return namespace ? `${namespace}_stream_leases` : 'stream_leases';
}

/**
 * The stream leases in NATS KV (one bucket per bus namespace, created on first use, history 1):
 * `accounts.<accountId>` = `{ holder, expiresAtMs }` per followed account, `replicas.<replicaId>` =
 * `{ expiresAtMs }` per live orphan-monitor replica. Writes are compare-and-set on the key's
 * revision (JetStream's expected-last-subject-sequence); expiry is in the values, not the server
 * (nats-server 2.9 has no per-message TTL). The bucket's max age (twice the lease time) only
 * removes what dead replicas left behind. The rules: stream-lease-plan.ts.
 */
export class StreamLeaseStore {
  private constructor(private readonly kv: KV) {}

  /**
   * Opens (creating if missing) the bucket of `bus`'s namespace, its max age set to twice
   * `ttlMs` even when it exists (a lease time raised since: a shorter max age would remove live
   * leases). `replicas`: copies the cluster keeps (BUS_STREAM_REPLICAS, as the bus's streams).
   * @throws NATS errors (no JetStream, bad bucket).
   */
  static async open(bus: Bus, ttlMs: number, replicas = 1): Promise<StreamLeaseStore> {
    const maxAgeMs = 2 * ttlMs;
    const kv = await new Kvm(bus.js).create(streamLeaseBucket(bus.names.namespace), { history: 1, ttl: maxAgeMs, replicas });
    const status = await kv.status();
    if (status.ttl !== maxAgeMs) await bus.jsm.streams.update(status.streamInfo.config.name, { max_age: nanos(maxAgeMs) });
    return new StreamLeaseStore(kv);
  }

  /** Announces replica `replicaId` live until `expiresAtMs` (its clock). @throws NATS errors */
  async heartbeat(replicaId: string, expiresAtMs: number): Promise<void> {
    await this.kv.put(`replicas.${replicaId}`, JSON.stringify({ expiresAtMs }));
  }

  /** Removes the heartbeat (graceful shutdown: the others count one replica fewer at once). @throws NATS errors */
  async leave(replicaId: string): Promise<void> {
    await this.kv.delete(`replicas.${replicaId}`);
  }

  /** Every replica heartbeat present (live or expired). @throws NATS errors */
  async replicas(): Promise<ReplicaView[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys('replicas.>')) keys.push(key);
    const views = await Promise.all(
      keys.map(async (key) => {
        const value = parse(heartbeatValue, await this.kv.get(key));
        return value ? { replicaId: key.slice('replicas.'.length), expiresAtMs: value.data.expiresAtMs } : null;
      }),
    );
    return views.filter((v): v is ReplicaView => v !== null);
  }

  /**
   * The leases of `accountIds` that exist (a deleted one is absent). An unreadable value is a
   * lease expired long ago, so that it is taken over by compare-and-set rather than left stuck.
   * @throws NATS errors
   */
  async leases(accountIds: Iterable<string>): Promise<Map<string, LeaseView>> {
    const entries = await Promise.all(
      [...new Set(accountIds)].map(async (accountId): Promise<[string, LeaseView] | null> => {
        const entry = await this.kv.get(leaseKey(accountId));
        if (!entry || entry.operation !== 'PUT') return null;
        const value = parse(leaseValue, entry)?.data ?? { holder: '', expiresAtMs: 0 };
        return [accountId, { ...value, revision: entry.revision }];
      }),
    );
    return new Map(entries.filter((e): e is [string, LeaseView] => e !== null));
  }

  /** Writes the account's lease: creates it (`revision` null) or rewrites it if still at `revision`. Never throws. */
  async write(accountId: string, revision: number | null, lease: { holder: string; expiresAtMs: number }): Promise<LeaseWrite> {
    const value = JSON.stringify(lease);
    try {
      const written =
        revision === null ? await this.kv.create(leaseKey(accountId), value) : await this.kv.update(leaseKey(accountId), value, revision);
      return { kind: 'held', revision: written };
    } catch (error) {
      return isWrongRevision(error) ? { kind: 'taken' } : { kind: 'unknown', error };
    }
  }

  /** Deletes the account's lease if still at `revision` (else it is no longer ours: nothing to do). @throws other NATS errors */
  async release(accountId: string, revision: number): Promise<void> {
    try {
      await this.kv.delete(leaseKey(accountId), { previousSeq: revision });
    } catch (error) {
      if (!isWrongRevision(error)) throw error;
    }
  }
}

function leaseKey(accountId: string): string {
  return `accounts.${accountId}`;
}

function isWrongRevision(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

function parse<T>(schema: z.ZodType<T>, entry: KvEntry | null): { data: T } | null {
  if (!entry || entry.operation !== 'PUT') return null;
  try {
    const result = schema.safeParse(entry.json());
    return result.success ? { data: result.data } : null;
  } catch {
    return null; // not JSON: treated as absent / expired by the callers
  }
}
