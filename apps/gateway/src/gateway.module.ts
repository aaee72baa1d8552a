import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Bus, connectBus, ensureStreams } from '@legwork/messaging';
import { createLogger, HealthRegistry, METRICS_REGISTRY, Registry } from '@legwork/observability';
import { persistenceProviders } from '@legwork/persistence';
import type { GatewayConfig } from './config';
import { BearerGuard } from './auth/bearer.guard';
import { ApiErrorFilter } from './http/error.filter';
import { GATEWAY_CONTROLLERS } from './http/controllers';
import { OperatorGuard } from './auth/operator.guard';
import { AcceptOpenPositionUseCase } from './accept-open-position/accept-open-position.use-case';
import { QueryPositionsUseCase } from './query-positions/query-positions.use-case';
import { RequestUnwindUseCase } from './request-unwind/request-unwind.use-case';
import { PlanRestoreUseCase } from './plan-restore/plan-restore.use-case';
import { ConfirmRestoreUseCase } from './confirm-restore/confirm-restore.use-case';
import { ExecutorClient } from './executor-requests/executor-client';
import { GatewaySettings } from './gateway.settings';
import { executorMarkPrices, MarkPriceCache } from './query-positions/mark-price-cache';
import { RequestOrphanScanUseCase } from './scan-orphans/request-orphan-scan.use-case';
import { OutboxRepository, databaseAndBusHealth, OutboxRelay } from '@legwork/outbox';
import { positionEventsProviders } from './position-events/position-events.providers';

const CONFIG = Symbol('GATEWAY_CONFIG');
const LOGGER = Symbol('LOGGER');
const BUS = Symbol('BUS');

/** Wires the gateway: HTTP API, auth, the outbox relay, database and bus. */
@Module({})
export class GatewayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly relay: OutboxRelay,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(config: GatewayConfig, registry: Registry): DynamicModule {
    const log = createLogger('gateway', config.LOG_LEVEL);
    return {
      module: GatewayModule,
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: log },
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: Registry, useValue: registry },
        {
          provide: GatewaySettings,
          useValue: new GatewaySettings(config.MAX_NOTIONAL_USDT, config.OPERATOR_SCAN_WAIT_MS, config.DEFAULT_LEGGING),
        },
        { provide: APP_FILTER, useFactory: () => new ApiErrorFilter(log) },
        ...persistenceProviders({
          databaseUrl: config.DATABASE_URL,
          encryptionKeys: config.ENCRYPTION_KEYS,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'legwork-gateway',
        }),
        { provide: BUS, useFactory: () => connectBus(config.NATS_URL, config.BUS_NAMESPACE, 'legwork-gateway') },
        {
          provide: OutboxRelay,
          useFactory: (outbox: OutboxRepository, bus: Bus) => new OutboxRelay(outbox, bus, log, registry),
          inject: [OutboxRepository, BUS],
        },
        {
          provide: HealthRegistry,
          // Ready without NATS: accepted commands wait in the outbox until the relay reaches it.
          useFactory: (ds: DataSource, bus: Bus) =>
            databaseAndBusHealth(ds, bus, { kind: 'degraded', detail: 'commands queue in the outbox' }),
          inject: [DataSource, BUS],
        },
        BearerGuard,
        OperatorGuard,
        { provide: ExecutorClient, useFactory: (bus: Bus) => new ExecutorClient(bus, config.GATEWAY_EXECUTOR_TIMEOUT_MS), inject: [BUS] },
        {
          provide: MarkPriceCache,
          useFactory: (executor: ExecutorClient) => new MarkPriceCache(executorMarkPrices(executor), config.GATEWAY_MARK_PRICE_TTL_MS),
          inject: [ExecutorClient],
        },
        ...positionEventsProviders(config, log, registry),
        AcceptOpenPositionUseCase,
        QueryPositionsUseCase,
        RequestUnwindUseCase,
        PlanRestoreUseCase,
        ConfirmRestoreUseCase,
        RequestOrphanScanUseCase,
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureStreams(this.bus.jsm, this.bus.names, this.config.BUS_STREAM_REPLICAS);
    this.relay.start(this.config.OUTBOX_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.bus.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
