import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BybitClientFactory, BybitPrivateStreams, PrivateStreamHandle } from '@legwork/exchange';
import { AccountStreamConnector } from '@legwork/exchange-accounts';
import { AlertFactory, Bus, scanJobMessage } from '@legwork/messaging';
import { histogram, METRICS_REGISTRY, Registry } from '@legwork/observability';
import { OutboxRelay } from '@legwork/outbox';
import { IdentityRepository, ScanRepository } from '@legwork/persistence';
import {
  SCAN_BUS,
  SCAN_LOGGER,
  SCAN_SERVICE_CONFIG,
  SCAN_SETTINGS,
  ScanServiceConfig,
  ScanSettings,
  scanWithAccountKey,
} from '@legwork/scanning';
import { ScanOrphansUseCase } from '../scan-orphans/scan-orphans.use-case';
import { AlterFromStreamUseCase } from './alter-from-stream.use-case';
import { SuspectFromStreamUseCase } from './suspect-from-stream.use-case';

/**
 * Follows the private stream of every account holding a live position (re-read every
 * `STREAM_ACCOUNTS_REFRESH_MS`; an account that no longer holds one is let go) and hands its
 * executions and (re)connects to {@link SuspectFromStreamUseCase} (orphans), its executions also
 * to {@link AlterFromStreamUseCase} (a held position moved: a reconcile job now). Off with `STREAMS_ENABLED=false`;
 * with every stream down the scheduled scans run exactly as before. One process follows every
 * account (the lease that shares accounts among replicas is a later step). Two replicas both
 * follow: a message both receive is scanned in one window (its execution's exchange time) and
 * applied once, and the confirmation job is deduplicated by msg id; but their scans can still
 * run concurrently, or fold events differently, and count one fill twice — the lease's work.
 */
@Injectable()
export class StreamDriftFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly followed = new Map<string, PrivateStreamHandle>();
  /** Per followed account: the exchange time of the last execution its stream delivered (or of its first connect). */
  private readonly lastSeen = new Map<string, Date>();
  private readonly confirmations = new Set<NodeJS.Timeout>();
  private refresher: NodeJS.Timeout | null = null;
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
    const { env } = config;
    this.connector = new AccountStreamConnector(
      identity,
      new BybitPrivateStreams(
        {
          env: env.BYBIT_ENV,
          simUrl: env.BYBIT_SIM_URL,
          connectsPer5Min: env.STREAM_CONNECTS_PER_5MIN,
          pingIntervalMs: env.STREAM_PING_INTERVAL_MS,
          pongTimeoutMs: env.STREAM_PONG_TIMEOUT_MS,
          reconnectBaseMs: env.STREAM_RECONNECT_BASE_MS,
          reconnectCapMs: env.STREAM_RECONNECT_CAP_MS,
        },
        registry,
      ),
    );
    this.useCase = new SuspectFromStreamUseCase({
      scans,
      scan: (accountId, at) =>
        scanWithAccountKey({ identity, factory, alerts }, accountId, (reader) => orphans.execute(accountId, reader, at, at)),
      executionsSince: async (accountId, since) => {
        const read = await scanWithAccountKey({ identity, factory, alerts }, accountId, (reader) => reader.executions(null, { since }));
        return read.kind === 'scanned' ? read.result : [];
      },
      scheduleConfirmation: (accountId, window, afterMs) => this.scheduleConfirmation(accountId, window, afterMs),
      detection: histogram(
        registry,
        'orphan_stream_detection_seconds',
        'Exchange execution time to the orphan suspicion it caused (stream-driven)',
        [],
        [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
      ),
      afterScan: async () => relay.kick(),
      orphanGraceMs: settings.orphanGraceMs,
      log,
    });
    this.alter = new AlterFromStreamUseCase({
      scans,
      publishReconcile: async (accountId, window, causes) => {
        const message = scanJobMessage(this.bus.names.namespace, 'reconcile', accountId, window, causes);
        await this.bus.publish(message.subject, message.payload, message.msgId);
      },
      detection: histogram(
        registry,
        'drift_stream_detection_seconds',
        'Exchange execution time to the reconcile job it caused (a held position moved without us, stream-driven)',
        [],
        [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
      ),
      log,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.env.STREAMS_ENABLED) return;
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh(), this.config.env.STREAM_ACCOUNTS_REFRESH_MS);
    this.log.info({ accounts: this.followed.size }, 'following private exchange streams');
  }

  onApplicationShutdown(): void {
    if (this.refresher) clearInterval(this.refresher);
    for (const timer of this.confirmations) clearTimeout(timer);
    for (const stream of this.followed.values()) stream.close();
    this.followed.clear();
  }

  /** Opens the streams of accounts now holding a live position, closes the others. Failures are logged; the next refresh retries. */
  private async refresh(): Promise<void> {
    try {
      const wanted = new Set(await this.scans.accountsWithExposure());
      for (const [accountId, stream] of this.followed) {
        if (!wanted.has(accountId)) {
          stream.close();
          this.followed.delete(accountId);
          this.lastSeen.delete(accountId);
        }
      }
      for (const accountId of wanted) if (!this.followed.has(accountId)) await this.follow(accountId);
    } catch (error) {
      this.log.error({ err: error }, 'could not refresh the followed accounts; retrying at the next refresh');
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
          .then((latest) => {
            if (latest && latest > (this.lastSeen.get(accountId) ?? new Date(0))) this.lastSeen.set(accountId, latest);
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
        this.log.warn({ accountId, message }, 'private stream auth refused; not followed until the next refresh');
      },
      onDisconnected: (reason) => this.log.warn({ accountId, reason }, 'private stream cut; reconnecting'),
    });
    if (outcome.kind === 'following') this.followed.set(accountId, outcome.stream);
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
