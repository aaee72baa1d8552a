import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { BybitClientFactory, PrivateStreamHandle } from '@legwork/exchange';
import { AccountStreamConnector } from '@legwork/exchange-accounts';
import { AlertFactory, Bus, scanJobMessage } from '@legwork/messaging';
import { gauge, METRICS_REGISTRY, Registry } from '@legwork/observability';
import { OutboxRelay } from '@legwork/outbox';
import { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { SCAN_BUS, SCAN_LOGGER, SCAN_SERVICE_CONFIG, SCAN_SETTINGS, ScanServiceConfig, ScanSettings } from '@legwork/scanning';
import { ScanOrphansUseCase } from '../scan-orphans/scan-orphans.use-case';
import { AlterFromStreamUseCase } from './alter-from-stream.use-case';
import { SuspectFromStreamUseCase } from './suspect-from-stream.use-case';
import { LeaseLoss, StreamLeaseKeeper } from './stream-lease.keeper';
import { StreamLeaseStore } from './stream-leases';
import { streamDriftUseCases } from './stream-drift.wiring';

/**
 * Follows the private stream of the accounts holding a live position (re-read every
 * `STREAM_ACCOUNTS_REFRESH_MS`) that this replica holds the lease of, and hands their executions
 * and (re)connects to {@link SuspectFromStreamUseCase} (orphans), their executions also to
 * {@link AlterFromStreamUseCase} (a held position moved: a reconcile job now). Off with
 * `STREAMS_ENABLED=false`; with every stream down the scheduled scans run exactly as before.
 *
 * Exactly one replica follows each account: a lease per account in NATS KV, renewed every
 * `STREAM_LEASE_RENEW_MS`, the accounts shared fairly among the live replicas
 * ({@link StreamLeaseKeeper}; the rules and the invariant — no account followed twice while the
 * clocks differ by less than `STREAM_LEASE_TTL_MS / 3` — in stream-lease-plan.ts). A stream is
 * closed the moment its lease is lost, released or late. On shutdown the leases are deleted, so
 * another replica takes over at its next renewal; a killed replica's leases are taken over once
 * expired, within `STREAM_LEASE_TTL_MS` + `STREAM_LEASE_RENEW_MS`.
 */
@Injectable()
export class StreamDriftFollower implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly followed = new Map<string, PrivateStreamHandle>();
  /** Per followed account: the exchange time of the last execution its stream delivered (or of its first connect). */
  private readonly lastSeen = new Map<string, Date>();
  private readonly confirmations = new Set<NodeJS.Timeout>();
  /** Accounts whose stream is being opened (a lease gained, the connector not answered yet). */
  private readonly opening = new Set<string>();
  /** Accounts whose key the exchange refused on the stream: not reopened until the next refresh. */
  private readonly refused = new Set<string>();
  /** Accounts holding a live position, as last read. */
  private wanted: string[] = [];
  private refresher: NodeJS.Timeout | null = null;
  private leases: StreamLeaseKeeper | null = null;
  /** This process as a lease holder: host (the pod), pid, and a random part (a restarted pid is another holder). */
  private readonly replicaId = `${hostname().replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly leasesHeld;
  private readonly useCase: SuspectFromStreamUseCase;
  private readonly alter: AlterFromStreamUseCase;
  private readonly connector: AccountStreamConnector;

  constructor(
    @Inject(SCAN_SERVICE_CONFIG) private readonly config: ScanServiceConfig,
    @Inject(SCAN_LOGGER) private readonly log: Logger,
    @Inject(SCAN_BUS) private readonly bus: Bus,
    @Inject(SCAN_SETTINGS) settings: ScanSettings,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly scans: ScanRepository,
    identity: IdentityRepository,
    factory: BybitClientFactory,
    alerts: AlertFactory,
    relay: OutboxRelay,
    orphans: ScanOrphansUseCase,
  ) {
    this.leasesHeld = gauge(registry, 'stream_leases_held', 'Accounts whose private stream this replica holds the lease of');
    ({
      connector: this.connector,
      suspect: this.useCase,
      alter: this.alter,
    } = streamDriftUseCases(
      { config, log, bus, settings, registry, scans, identity, factory, alerts, relay, orphans },
      (accountId, window, afterMs) => this.scheduleConfirmation(accountId, window, afterMs),
    ));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { env } = this.config;
    if (!env.STREAMS_ENABLED) return;
    const store = await StreamLeaseStore.open(this.bus, env.STREAM_LEASE_TTL_MS, env.BUS_STREAM_REPLICAS);
    this.leases = new StreamLeaseKeeper(
      store,
      this.replicaId,
      { ttlMs: env.STREAM_LEASE_TTL_MS, renewMs: env.STREAM_LEASE_RENEW_MS },
      { onLost: (accountId, why) => this.unfollow(accountId, why), onRound: (held) => this.openHeld(held) },
      this.log,
    );
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh(), env.STREAM_ACCOUNTS_REFRESH_MS);
    await this.leases.start(() => this.wanted);
    this.log.info({ replicaId: this.replicaId, accounts: this.leases.held().length }, 'following private exchange streams under leases');
  }

  /** Before the bus closes: stop following and delete this replica's leases, so another replica takes over at its next round. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    for (const timer of this.confirmations) clearTimeout(timer);
    try {
      await this.leases?.stop();
    } catch (error) {
      this.log.warn({ err: error }, 'could not release the stream leases; the other replicas take over once they expire');
    }
    for (const stream of this.followed.values()) stream.close();
    this.followed.clear();
  }

  /** Re-reads the accounts holding a live position; failures are logged and the last list kept. A refused key is retried from here on. */
  private async refresh(): Promise<void> {
    try {
      this.wanted = await this.scans.accountsWithExposure();
      this.refused.clear();
    } catch (error) {
      this.log.error({ err: error }, 'could not refresh the followed accounts; retrying at the next refresh');
    }
  }

  /** Opens the stream of every held account not followed (nor being opened, nor refused) yet. */
  private openHeld(held: readonly string[]): void {
    this.leasesHeld.set(held.length);
    for (const accountId of held) {
      if (!this.followed.has(accountId) && !this.opening.has(accountId) && !this.refused.has(accountId)) void this.open(accountId);
    }
  }

  private unfollow(accountId: string, why: LeaseLoss): void {
    this.followed.get(accountId)?.close();
    this.followed.delete(accountId);
    this.lastSeen.delete(accountId);
    this.log.info({ accountId, why }, 'private stream no longer followed by this replica');
  }

  /** Opens the account's stream; closes it at once if the lease went while the connector answered. Failures are logged; the next round retries. */
  private async open(accountId: string): Promise<void> {
    this.opening.add(accountId);
    try {
      await this.follow(accountId);
    } catch (error) {
      this.log.error({ err: error, accountId }, 'could not open the private stream; retrying at the next lease round');
    } finally {
      this.opening.delete(accountId);
    }
  }

  private async follow(accountId: string): Promise<void> {
    const report = (what: string) => (error: unknown) => this.log.error({ err: error, accountId }, `${what} failed; the scans remain`);
    const outcome = await this.connector.follow(accountId, {
      onConnected: (reconnected) => {
        const since = reconnected ? (this.lastSeen.get(accountId) ?? null) : null;
        if (!reconnected) this.lastSeen.set(accountId, new Date());
        this.log.info({ accountId, reconnected, since }, 'private stream connected: filling the gap over REST');
        this.useCase
          .fillGap(accountId, since)
          .then(({ missed, latest }) => {
            if (latest && latest > (this.lastSeen.get(accountId) ?? new Date(0))) this.lastSeen.set(accountId, latest);
            // What moved a held position while the stream was down: ALTERED now, with its cause, as if streamed.
            return this.alter.onExecutions(accountId, missed);
          })
          .catch(report('stream gap fill'));
      },
      onExecutions: (executions) => {
        const latest = Math.max(...executions.map((e) => e.execution.executedAt.getTime()));
        if (latest > (this.lastSeen.get(accountId)?.getTime() ?? 0)) this.lastSeen.set(accountId, new Date(latest));
        this.useCase.onExecutions(accountId, executions).catch(report('stream drift check'));
        this.alter.onExecutions(accountId, executions).catch(report('stream reconcile request'));
      },
      onRefused: (message) => {
        this.followed.delete(accountId);
        this.refused.add(accountId);
        this.log.warn({ accountId, message }, 'private stream auth refused; not followed until the next refresh');
      },
      onDisconnected: (reason) => this.log.warn({ accountId, reason }, 'private stream cut; reconnecting'),
    });
    if (outcome.kind !== 'following') return;
    if (this.leases?.holds(accountId)) this.followed.set(accountId, outcome.stream);
    else outcome.stream.close();
  }

  /** The confirming scan job of `window`, published in `afterMs` (ids dedupe it across replicas); lost on shutdown, then the scheduled scans confirm. */
  private scheduleConfirmation(accountId: string, window: Date, afterMs: number): void {
    const timer = setTimeout(() => {
      this.confirmations.delete(timer);
      const message = scanJobMessage(this.bus.names.namespace, 'orphans', accountId, window);
      this.bus
        .publish(message.subject, message.payload, message.msgId)
        .catch((error: unknown) =>
          this.log.error({ err: error, accountId }, 'could not publish the orphan confirmation scan; the scheduled scans will confirm'),
        );
    }, afterMs);
    this.confirmations.add(timer);
  }
}
