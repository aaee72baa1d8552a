import type { Logger } from 'pino';
import type { Bus, OutboxMessage } from '@legwork/messaging';
import { OutboxRepository } from './outbox.repository';
import { counter, gauge, type Registry } from '@legwork/observability';

const BATCH = 100;

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = the row's `msg_id`, so a row
 * published twice (crash between publish and mark) is deduplicated by the stream. Woken at once
 * after each committed change (`kick`), and on a timer for rows a crash left behind. Runs in every
 * process that writes the outbox (gateway, executor).
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly published;
  private readonly failures;
  private readonly backlog;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly bus: Bus,
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.published = counter(registry, 'outbox_published_total', 'Outbox messages published to JetStream');
    this.failures = counter(registry, 'outbox_publish_failures_total', 'Outbox publish attempts that failed');
    this.backlog = gauge(registry, 'outbox_unpublished', 'Outbox messages not yet published');
  }

  get namespace(): string {
    return this.bus.names.namespace;
  }

  /**
   * Runs a pass now, then looks every `pollMs` for rows a crash left behind (or a kick missed):
   * one cheap read, and a pass only when a row waits — a pass is a transaction of three statements
   * at least, and every process that writes the outbox polls.
   */
  start(pollMs: number): void {
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.kick();
  }

  /** Commits one message to the outbox on its own and publishes it soon. */
  async enqueue(message: OutboxMessage): Promise<void> {
    await this.outbox.enqueue(message);
    this.kick();
  }

  /** Runs a relay pass now (or right after the one in progress). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async poll(): Promise<void> {
    if (this.running) return; // the pass under way takes what waits
    try {
      if (await this.outbox.anyUnpublished()) this.kick();
    } catch (error) {
      this.failures.inc();
      this.log.warn({ err: error }, 'outbox poll failed; will retry');
    }
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const { published, error } = await this.outbox.relay(BATCH, async (row) => {
          await this.bus.publish(row.subject, row.payload, row.msgId, row.headers ?? undefined);
        });
        this.published.inc(published);
        if (error) {
          this.failures.inc();
          this.log.warn({ err: error }, 'outbox publish failed; will retry');
          await this.countBacklog();
          return;
        }
        if (published < BATCH) break;
      }
      // Drained: nothing this relay could take is left (a message committed since has its own
      // kick, one another replica is publishing is locked). Counted only when a pass fails.
      this.backlog.set(0);
    } catch (error) {
      this.failures.inc();
      this.log.warn({ err: error }, 'outbox relay pass failed; will retry');
      await this.countBacklog();
    }
  }

  /** Sets the backlog gauge from the table (after a failed pass: the messages left behind). */
  private async countBacklog(): Promise<void> {
    try {
      this.backlog.set(await this.outbox.countUnpublished());
    } catch (error) {
      this.log.warn({ err: error }, 'outbox backlog could not be counted');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
