import { Cron } from 'croner';
import type { Logger } from 'pino';
import { Bus, ScanJobKind, scanJobMessage } from '@legwork/messaging';

/**
 * Turns a cron schedule into one job per account per window, without a leader: every replica
 * ticks, and every tick publishes `<job>:<account>:<window start>` as the `Nats-Msg-Id`, so
 * JetStream keeps one copy of each job however many replicas published it. The work-queue
 * consumer then shares the jobs among the replicas.
 *
 * Why the window start is the SCHEDULED time (not "now"): replicas fire a few ms apart, and
 * their message ids must be identical for the dedupe to hold.
 */
export class ScanScheduler {
  private cron: Cron | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly job: ScanJobKind,
    private readonly pattern: string,
    private readonly accounts: () => Promise<string[]>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.cron = new Cron(
      this.pattern,
      { protect: true, catch: (error: unknown) => this.log.error({ err: error, job: this.job }, 'scan tick failed') },
      () => this.tick(windowStart(this.pattern, new Date())),
    );
  }

  stop(): void {
    this.cron?.stop();
  }

  /** Publishes one job per account for `window`; safe to call any number of times. */
  async tick(window: Date): Promise<number> {
    const accounts = await this.accounts();
    for (const accountId of accounts) {
      const message = scanJobMessage(this.bus.names.namespace, this.job, accountId, window);
      await this.bus.publish(message.subject, message.payload, message.msgId);
    }
    this.log.info({ job: this.job, window: window.toISOString(), accounts: accounts.length }, 'scan jobs published');
    return accounts.length;
  }
}

/**
 * The scheduled time of the tick running now: the latest occurrence of `pattern` not after
 * `now`, assuming the timer fires less than a second late.
 */
export function windowStart(pattern: string, now: Date): Date {
  const scheduled = new Cron(pattern).nextRun(new Date(now.getTime() - 999));
  return scheduled && scheduled.getTime() <= now.getTime() ? scheduled : new Date(Math.floor(now.getTime() / 1000) * 1000);
}
