import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Logger } from 'pino';
import { BybitClientFactory, bybitSettingsFrom } from '@legwork/exchange';
import {
  AlertFactory,
  Bus,
  connectBus,
  ensureScanConsumer,
  ensureStreams,
  runConsumer,
  ScanJobKind,
  OutboxMessage,
} from '@legwork/messaging';
import {
  commonEnv,
  createLogger,
  createRegistry,
  encryptionKeysFor,
  exchangeEnv,
  HealthRegistry,
  METRICS_REGISTRY,
  msList,
  OpsController,
  parseEnv,
  port,
  positiveInt,
  Registry,
} from '@legwork/observability';
import { FundingRepository, IdentityRepository, OrderLedgerRepository, persistenceProviders, ScanRepository } from '@legwork/persistence';
import { scanWithAccountKey } from './account-reader';
import { AccountScan, ScanJobHandler } from './scan-job.handler';
import { ScanMetrics } from './scan-metrics';
import { ReconcileAccountUseCase } from './reconcile-account.use-case';
import { ScanOrphansUseCase } from './scan-orphans.use-case';
import { ScanScheduler } from './scan-scheduler';
import { scanRulesEnv, scanSettingsFrom } from './scan-settings';
import { OutboxRepository, databaseAndBusHealth, OutboxRelay } from '@legwork/outbox';

/** The environment of a scan service; `prefix` is RECONCILER or ORPHAN_MONITOR. */
export function scanServiceSchema(prefix: 'RECONCILER' | 'ORPHAN_MONITOR', defaultPort: number) {
  return z.object({
    ...commonEnv,
    ...exchangeEnv,
    [`${prefix}_HTTP_PORT`]: port.default(defaultPort),
    [`${prefix}_HTTP_HOST`]: z.string().default('127.0.0.1'),
    /** Cron (5 fields, or 6 with seconds) of the scan; default every 5 minutes. */
    [`${prefix}_CRON`]: z.string().default('*/5 * * * *'),
    SCAN_CONCURRENCY: positiveInt.default(4),
    SCAN_RETRY_DELAYS_MS: msList.default([10_000, 30_000, 60_000]),
    SCAN_ACK_WAIT_MS: positiveInt.default(60_000),
    ...scanRulesEnv,
    OUTBOX_POLL_MS: positiveInt.default(500),
  });
}

export interface ScanServiceConfig {
  service: 'reconciler' | 'orphan-monitor';
  job: ScanJobKind;
  cron: string;
  httpPort: number;
  httpHost: string;
  env: z.infer<ReturnType<typeof scanServiceSchema>> & { ENCRYPTION_KEYS: string };
}

/** Reads a scan service's configuration once. @throws Error listing every bad variable. */
export function loadScanServiceConfig(service: 'reconciler' | 'orphan-monitor', envIn: NodeJS.ProcessEnv = process.env): ScanServiceConfig {
  const prefix = service === 'reconciler' ? 'RECONCILER' : 'ORPHAN_MONITOR';
  const parsed = parseEnv(scanServiceSchema(prefix, service === 'reconciler' ? 3002 : 3003), envIn);
  const env = { ...parsed, ENCRYPTION_KEYS: encryptionKeysFor(parsed) };
  const at = (key: string) => (env as unknown as Record<string, unknown>)[`${prefix}_${key}`];
  return {
    service,
    job: service === 'reconciler' ? 'reconcile' : 'orphans',
    cron: String(at('CRON')),
    httpPort: Number(at('HTTP_PORT')),
    httpHost: String(at('HTTP_HOST')),
    env,
  };
}

const CONFIG = Symbol('SCAN_CONFIG');
const LOGGER = Symbol('LOGGER');
const BUS = Symbol('BUS');

/** The reconciler or the orphan monitor: schedule, shared job consumer, scan, alerts, metrics. */
@Module({})
class ScanServiceModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopConsumer: (() => Promise<void>) | null = null;
  private scheduler: ScanScheduler | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ScanServiceConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(BUS) private readonly bus: Bus,
    private readonly scans: ScanRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly outbox: OutboxRepository,
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
    private readonly relay: OutboxRelay,
    private readonly metrics: ScanMetrics,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(config: ScanServiceConfig, registry: Registry, log: Logger): DynamicModule {
    const env = config.env;
    return {
      module: ScanServiceModule,
      controllers: [OpsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: log },
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: ScanMetrics, useValue: new ScanMetrics(registry) },
        ...persistenceProviders({
          databaseUrl: env.DATABASE_URL,
          encryptionKeys: env.ENCRYPTION_KEYS,
          poolSize: env.DB_POOL_SIZE,
          applicationName: `legwork-${config.service}`,
        }),
        { provide: BUS, useFactory: () => connectBus(env.NATS_URL, env.BUS_NAMESPACE, `legwork-${config.service}`) },
        {
          provide: BybitClientFactory,
          useValue: new BybitClientFactory(bybitSettingsFrom(env), registry),
        },
        {
          provide: OutboxRelay,
          useFactory: (outbox: OutboxRepository, bus: Bus) => new OutboxRelay(outbox, bus, log, registry),
          inject: [OutboxRepository, BUS],
        },
        {
          provide: HealthRegistry,
          useFactory: (ds: DataSource, bus: Bus) => databaseAndBusHealth(ds, bus),
          inject: [DataSource, BUS],
        },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { env, job } = this.config;
    const alerts = new AlertFactory(env.BUS_NAMESPACE);
    const settings = scanSettingsFrom(env);
    this.metrics.initialise(job);
    const reconcile = new ReconcileAccountUseCase(
      this.scans,
      this.ledger,
      this.outbox,
      alerts,
      settings,
      new FundingRepository(this.dataSource),
    );
    const orphans = new ScanOrphansUseCase(this.scans, alerts, settings);
    const scan: AccountScan = async (accountId, at, window) => {
      const outcome = await scanWithAccountKey<{ alerts: OutboxMessage[] }>(
        { identity: this.identity, factory: this.factory, alerts },
        accountId,
        (reader) => (job === 'reconcile' ? reconcile.execute(accountId, reader, at) : orphans.execute(accountId, reader, at, window)),
      );
      return outcome.kind === 'scanned' ? outcome.result : { skipped: outcome.reason, newlyRefused: outcome.newlyRefused };
    };
    await ensureStreams(this.bus.jsm, this.bus.names);
    await ensureScanConsumer(this.bus.jsm, this.bus.names, job, {
      ackWaitMs: env.SCAN_ACK_WAIT_MS,
      maxDeliver: env.SCAN_RETRY_DELAYS_MS.length + 3,
    });
    this.relay.start(env.OUTBOX_POLL_MS);
    const handler = new ScanJobHandler(job, this.scans, scan, this.metrics, () => this.afterScan(), this.log);
    const running = await runConsumer(
      this.bus,
      {
        stream: this.bus.names.scanJobsStream,
        durable: this.bus.names.scanDurable(job),
        concurrency: env.SCAN_CONCURRENCY,
        retryDelaysMs: env.SCAN_RETRY_DELAYS_MS,
        heartbeatMs: Math.max(100, Math.floor(env.SCAN_ACK_WAIT_MS / 3)),
      },
      handler,
      this.log,
    );
    this.stopConsumer = running.stop;
    this.scheduler = new ScanScheduler(
      this.bus,
      job,
      this.config.cron,
      () => (job === 'reconcile' ? this.scans.accountsWithExposure() : this.scans.allAccounts()),
      this.log,
    );
    this.scheduler.start();
    await this.afterScan();
    this.log.info({ job, cron: this.config.cron }, `${this.config.service} scheduling and consuming`);
  }

  /** After each scan: publish its alerts now, refresh the gauges (from the database: all replicas agree). */
  private async afterScan(): Promise<void> {
    this.relay.kick();
    this.metrics.keyRefused.set(await this.identity.countKeyRefused());
    if (this.config.job === 'reconcile') this.metrics.altered.set(await this.scans.countAltered());
    else this.metrics.orphaned.set(await this.scans.countConfirmedOrphans());
  }

  async onApplicationShutdown(): Promise<void> {
    this.scheduler?.stop();
    await this.stopConsumer?.();
    await this.relay.stop();
    await this.bus.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Boots the reconciler or the orphan monitor as a Nest (Fastify) app with /health and /metrics. */
export async function runScanService(service: 'reconciler' | 'orphan-monitor'): Promise<void> {
  const config = loadScanServiceConfig(service);
  const registry = createRegistry(service);
  const log = createLogger(service, config.env.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(ScanServiceModule.forRoot(config, registry, log), new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.httpHost);
}
