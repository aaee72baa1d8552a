import type { Logger } from 'pino';
import { followUntilMs, planStreamLeases } from './stream-lease-plan';
import { StreamLeaseStore } from './stream-leases';

/** Why this replica stopped following an account. */
export type LeaseLoss = 'released' | 'taken' | 'late';

/** What the keeper tells its owner. */
export interface LeaseHandlers {
  /** A held account stopped being held: stop following it now (called before any release is written). */
  onLost(accountId: string, why: LeaseLoss): void;
  /** After each round: the accounts held now (follow those not followed yet). */
  onRound(held: readonly string[]): void;
}

/**
 * Holds this replica's stream leases: every `renewMs` a round heartbeats, reads the leases, plans
 * ({@link planStreamLeases}) and writes (one round at a time); an account is *held* from a
 * successful write until {@link followUntilMs} of the last successful one. `onLost` is called
 * whenever a held account stops being held: released, found taken, or its renewal late (a timer
 * per account, so a stuck round or an unreachable NATS cannot outlive the lease). The owner
 * follows exactly the held accounts.
 */
export class StreamLeaseKeeper {
  /** Held account → the timer that drops it when its renewal is late. */
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private renewer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  /** The accounts holding a live position at the last round (released on stop when still ours, held or not). */
  private lastWanted: readonly string[] = [];

  constructor(
    private readonly store: StreamLeaseStore,
    private readonly self: string,
    private readonly timing: { ttlMs: number; renewMs: number },
    private readonly handlers: LeaseHandlers,
    private readonly log: Logger,
  ) {}

  /** Runs a first round now, then one every `renewMs`; `wanted()` gives the accounts holding a live position. */
  async start(wanted: () => readonly string[]): Promise<void> {
    await this.next(wanted);
    this.renewer = setInterval(() => void this.next(wanted), this.timing.renewMs);
  }

  /** Stops the rounds, waits for the one running, and releases everything (see {@link releaseAll}). @throws NATS errors */
  async stop(): Promise<void> {
    if (this.renewer) clearInterval(this.renewer);
    this.renewer = null;
    await this.round;
    await this.releaseAll();
  }

  /** Whether this replica may follow `accountId` now. */
  holds(accountId: string): boolean {
    return this.deadlines.has(accountId);
  }

  /** The accounts held now. */
  held(): string[] {
    return [...this.deadlines.keys()];
  }

  /** Chains one round after the running one; a failed round is logged (held leases then run out on their timers). */
  private next(wanted: () => readonly string[]): Promise<void> {
    this.round = this.round.then(async () => {
      try {
        await this.tick(wanted());
      } catch (error) {
        this.log.error({ err: error }, 'stream lease round failed; held streams stop when their leases run out');
      }
      this.handlers.onRound(this.held());
    });
    return this.round;
  }

  /** One round: heartbeat, read, plan, write. @throws NATS read errors */
  private async tick(wanted: readonly string[]): Promise<void> {
    this.lastWanted = wanted;
    await this.store.heartbeat(this.self, Date.now() + this.timing.ttlMs);
    const following = this.held();
    const [replicas, leases] = await Promise.all([this.store.replicas(), this.store.leases([...wanted, ...following])]);
    const plan = planStreamLeases({ self: this.self, nowMs: Date.now(), wanted, leases, replicas, following });
    for (const accountId of plan.stop) this.drop(accountId, 'taken');
    for (const { accountId } of plan.release) this.drop(accountId, 'released');
    await Promise.all([
      ...plan.release.map(({ accountId, revision }) => this.store.release(accountId, revision)),
      ...[...plan.renew, ...plan.acquire].map(({ accountId, revision }) => this.write(accountId, revision)),
    ]);
  }

  /** Stops holding everything and deletes this replica's leases and heartbeat, so that the others take over at once. @throws NATS errors */
  private async releaseAll(): Promise<void> {
    const held = this.held();
    for (const accountId of held) this.drop(accountId, 'released');
    const leases = await this.store.leases([...held, ...this.lastWanted]);
    await Promise.all(
      [...leases].filter(([, l]) => l.holder === this.self).map(([accountId, l]) => this.store.release(accountId, l.revision)),
    );
    await this.store.leave(this.self);
  }

  private async write(accountId: string, revision: number | null): Promise<void> {
    const sentAtMs = Date.now();
    const outcome = await this.store.write(accountId, revision, { holder: this.self, expiresAtMs: sentAtMs + this.timing.ttlMs });
    if (outcome.kind === 'taken') {
      this.drop(accountId, 'taken');
    } else if (outcome.kind === 'unknown') {
      this.log.warn({ err: outcome.error, accountId }, 'stream lease write unanswered; held until its last renewal runs out');
    } else {
      const untilMs = followUntilMs(sentAtMs, this.timing.ttlMs);
      if (untilMs <= Date.now()) return this.drop(accountId, 'late');
      clearTimeout(this.deadlines.get(accountId));
      this.deadlines.set(
        accountId,
        setTimeout(() => this.drop(accountId, 'late'), untilMs - Date.now()),
      );
    }
  }

  private drop(accountId: string, why: LeaseLoss): void {
    const timer = this.deadlines.get(accountId);
    if (!timer) return;
    clearTimeout(timer);
    this.deadlines.delete(accountId);
    this.handlers.onLost(accountId, why);
  }
}
