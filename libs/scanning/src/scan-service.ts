import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Logger } from 'pino';
import { BybitClientFactory, bybitSettingsFrom } from '@legwork/exchange';
import { AlertFactory, Bus, connectBus, ensureScanConsumer, ensureStreams, JetStreamServer, ScanJobKind } from '@legwork/messaging';
import {
  commonEnv,
  createLogger,
  createRegistry,
  encryptionKeysFor,
  exchangeEnv,
  HealthRegistry,
  METRICS_REGISTRY,
  msList,
  NestPinoLogger,
  OpsController,
  parseEnv,
  port,
  positiveInt,
  Registry,
} from '@legwork/observability';
import { IdentityRepository, persistenceProviders, ScanRepository } from '@legwork/persistence';
import { ACCOUNT_SCAN_JOB, AccountScanJob } from './account-scan-job';
import { ScanJobHandler } from './scan-job.handler';
import { APP_CONSUMERS, AppConsumers, ScanJobs, ScanJobsController, scanJobsServer } from './scan-jobs.controller';
import { databaseAndBusHealth, OutboxRelay, OutboxRepository } from '@legwork/outbox';
import { ScanMetrics } from './scan-metrics';
import { ScanScheduler } from './scan-scheduler';
import { leaseTimingProblem, scanRulesEnv, scanSettingsFrom, streamEnv } from './scan-settings';

/** The environment of a scan service; `prefix` is RECONCILER or ORPHAN_MONITOR. */
export function scanServiceSchema(prefix: 'RECONCILER' | 'ORPHAN_MONITOR', defaultPort: number) {
  return z
    .object({
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
      ...streamEnv,
    })
    .superRefine((env, ctx) => {
      const problem = leaseTimingProblem(env);
      if (problem) ctx.addIssue({ code: 'custom', path: ['STREAM_LEASE_RENEW_MS'], message: problem });
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
/** Injection token of the {@link ScanSettings} the apps' use cases read. */
export const SCAN_SETTINGS = Symbol('SCAN_SETTINGS');
/** Injection tokens of the host's {@link ScanServiceConfig}, pino logger and {@link Bus}, for an app's own providers. */
export { CONFIG as SCAN_SERVICE_CONFIG, LOGGER as SCAN_LOGGER, BUS as SCAN_BUS };

/**
 * The job host of the reconciler or the orphan monitor: schedule, shared job consumer (ScanJobsController on the JetStream server), alerts,
 * metrics, /health and /metrics. It knows no use case: the app's module (`scanModule`) provides
 * the {@link AccountScanJob} it runs, and sees the host's providers (repositories, bus, exchange
 * clients, settings) because the host is global.
 */
@Module({})
class ScanServiceModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private scheduler: ScanScheduler | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ScanServiceConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(ACCOUNT_SCAN_JOB) private readonly scanJob: AccountScanJob,
    private readonly scans: ScanRepository,
    private readonly identity: IdentityRepository,
    private readonly relay: OutboxRelay,
    private readonly metrics: ScanMetrics,
    private readonly dataSource: DataSource,
    private readonly jobs: ScanJobs,
  ) {}

  static forRoot(config: ScanServiceConfig, registry: Registry, log: Logger, scanModule: Type<unknown>): DynamicModule {
    const env = config.env;
    const host = {
      module: ScanServiceModule,
      controllers: [OpsController, ScanJobsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: log },
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: ScanMetrics, useValue: new ScanMetrics(registry) },
        { provide: SCAN_SETTINGS, useValue: scanSettingsFrom(env) },
        { provide: AlertFactory, useValue: new AlertFactory(env.BUS_NAMESPACE) },
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
        ScanJobs,
        {
          provide: JetStreamServer,
          useFactory: (bus: Bus, appConsumers: AppConsumers | undefined) =>
            scanJobsServer(
              bus,
              config.job,
              { concurrency: env.SCAN_CONCURRENCY, retryDelaysMs: env.SCAN_RETRY_DELAYS_MS, ackWaitMs: env.SCAN_ACK_WAIT_MS },
              log,
              appConsumers?.(bus) ?? [],
            ),
          inject: [BUS, { token: APP_CONSUMERS, optional: true }],
        },
      ] as Provider[],
    };
    // Global, exporting every provider: the app's module (imported here) builds its use case from them.
    return { ...host, global: true, imports: [scanModule], exports: host.providers.map((p) => ('provide' in p ? p.provide : p)) };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { env, job } = this.config;
    this.metrics.initialise(job);
    await ensureStreams(this.bus.jsm, this.bus.names, env.BUS_STREAM_REPLICAS);
    await ensureScanConsumer(this.bus.jsm, this.bus.names, job, {
      replicas: env.BUS_STREAM_REPLICAS,
      ackWaitMs: env.SCAN_ACK_WAIT_MS,
      maxDeliver: env.SCAN_RETRY_DELAYS_MS.length + 3,
    });
    this.relay.start(env.OUTBOX_POLL_MS);
    this.jobs.install(new ScanJobHandler(job, this.scans, this.scanJob.scan, this.metrics, () => this.afterScan(), this.log));
    this.scheduler = new ScanScheduler(this.bus, job, this.config.cron, () => this.scheduledAccounts(job), this.log);
    this.scheduler.start();
    await this.afterScan();
    this.log.info({ job, cron: this.config.cron }, `${this.config.service} scheduling and consuming`);
  }

  /** The accounts of this window, counted in `scan_accounts_scheduled` (0: nothing to scan, LegworkScanMissing stays quiet). */
  private async scheduledAccounts(job: ScanJobKind): Promise<string[]> {
    const accounts = await this.scanJob.accounts();
    this.metrics.scheduled.set({ scan: job }, accounts.length);
    return accounts;
  }

  /** After each scan: publish its alerts now, refresh the gauges (from the database: all replicas agree). */
  private async afterScan(): Promise<void> {
    this.relay.kick();
    this.metrics.keyRefused.set(await this.identity.countKeyRefused());
    await this.scanJob.refreshGauge(this.metrics);
  }

  async onApplicationShutdown(): Promise<void> {
    this.scheduler?.stop();
    await this.relay.stop();
    await this.bus.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Boots the reconciler or the orphan monitor as a Nest (Fastify) app with /health and /metrics,
 * running the {@link AccountScanJob} that `scanModule` (the app's own Nest module) provides under
 * {@link ACCOUNT_SCAN_JOB}.
 */
export async function runScanService(service: 'reconciler' | 'orphan-monitor', scanModule: Type<unknown>): Promise<void> {
  const config = loadScanServiceConfig(service);
  const registry = createRegistry(service);
  const log = createLogger(service, config.env.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(
    ScanServiceModule.forRoot(config, registry, log, scanModule),
    new FastifyAdapter(),
    { logger: new NestPinoLogger(log) },
  );
  app.enableShutdownHooks();
  // Jobs are fetched once bootstrap created the streams and the consumer and installed the handler.
  app.connectMicroservice({ strategy: app.get(JetStreamServer) });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
}
