import { randomUUID } from 'node:crypto';
import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { BybitClientFactory, BybitPrivateStreams, bybitSettingsFrom } from '@legwork/exchange';
import { connectBus, ensureCommandConsumer, ensureStreams, JetStreamServer } from '@legwork/messaging';
import { createLogger, createRegistry, HealthRegistry, METRICS_REGISTRY, OpsController, Registry } from '@legwork/observability';
import { IdentityRepository, persistenceProviders } from '@legwork/persistence';
import type { ExecutorConfig } from './config';
import { EXECUTOR_SETTINGS, ExecutorSettings } from './executor.settings';
import { BatchLegs } from './open-position/batch-legs';
import { LegExecutor } from './leg-execution/leg-executor';
import { ExecutorMetrics } from './metrics';
import { Failpoints } from './failpoints';
import { BusHolder } from './bus-holder';
import { TradeCommandsController } from './trade-commands/trade-commands.controller';
import { TradeCommandRemovalsController } from './trade-commands/trade-command-removals.controller';
import { CommandFailureCounter } from './trade-commands/command-failure-counter';
import { tradeCommandsServer } from './trade-commands/trade-commands.transport';
import { GiveUpCommandUseCase } from './give-up-command/give-up-command.use-case';
import { RecordPoisonCommandUseCase } from './record-poison-command/record-poison-command.use-case';
import { EXECUTOR_LOGGER } from './executor-logger';
import { ClosePositionUseCase } from './close-position/close-position.use-case';
import { RollbackPositionUseCase } from './rollback-position/rollback-position.use-case';
import { BasketRunner } from './basket-runner/basket-runner';
import { UnwindBasket } from './unwind-position/unwind-basket';
import { UnwindLegs } from './unwind-position/unwind-legs';
import { UnwindSettlement } from './unwind-position/unwind-settlement';
import { RestorePositionUseCase } from './restore-position/restore-position.use-case';
import { AlertFactory } from '@legwork/messaging';
import { ExecutorContext } from './position-work/executor-context';
import { PositionLease } from './position-work/position-lease';
import { AccountExchanges } from './position-work/account-exchanges';
import { AccountExchangeConnector, AccountStreamConnector, KeptAccountPorts } from '@legwork/exchange-accounts';
import { StreamFills } from './stream-fills/stream-fills';
import { BuildRestorePlanUseCase } from './build-restore-plan/build-restore-plan.use-case';
import { StartRestoreUseCase } from './start-restore/start-restore.use-case';
import { ReadMarkPricesUseCase } from './read-mark-prices/read-mark-prices.use-case';
import { GatewayRequestsResponder } from './gateway-requests/gateway-requests.responder';
import { StalePlanGuard } from './restore-position/stale-plan-guard';
import { OpenPositionUseCase } from './open-position/open-position.use-case';
import { SequentialLegs } from './open-position/sequential-legs';
import { OutboxRepository, databaseAndBusHealth, OutboxRelay } from '@legwork/outbox';

const CONFIG = Symbol('EXECUTOR_CONFIG');
/** Accounts whose exchange clients one executor keeps between baskets (~260 KB each: ~50 MB at most). */
const KEPT_ACCOUNT_CLIENTS = 200;

/**
 * Wires the executor: database, bus, exchange clients, the use cases and the trade-command
 * controllers, served by the JetStream server main.ts connects (`JetStreamServer`, provided here).
 */
@Module({})
export class ExecutorModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private backlogTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ExecutorConfig,
    @Inject(EXECUTOR_LOGGER) private readonly log: Logger,
    private readonly bus: BusHolder,
    private readonly relay: OutboxRelay,
    private readonly metrics: ExecutorMetrics,
    private readonly dataSource: DataSource,
    private readonly streamFills: StreamFills,
  ) {}

  static forRoot(config: ExecutorConfig): DynamicModule {
    const registry = createRegistry('executor');
    const log = createLogger('executor', config.LOG_LEVEL);
    return {
      module: ExecutorModule,
      controllers: [OpsController, TradeCommandsController, TradeCommandRemovalsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: EXECUTOR_LOGGER, useValue: log },
        { provide: METRICS_REGISTRY, useValue: registry },
        { provide: Registry, useValue: registry },
        { provide: ExecutorMetrics, useFactory: () => new ExecutorMetrics(registry) },
        ...persistenceProviders({
          databaseUrl: config.DATABASE_URL,
          encryptionKeys: config.ENCRYPTION_KEYS,
          poolSize: config.DB_POOL_SIZE,
          applicationName: 'legwork-executor',
        }),
        {
          provide: BybitClientFactory,
          useFactory: () => new BybitClientFactory(bybitSettingsFrom(config), registry),
        },
        {
          provide: EXECUTOR_SETTINGS,
          useValue: {
            instanceId: randomUUID().slice(0, 8),
            namespace: config.BUS_NAMESPACE,
            orphanGraceMs: config.ORPHAN_GRACE_MS,
            leaseMs: config.ACK_WAIT_MS,
            verification: {
              timeoutMs: config.VERIFY_TIMEOUT_MS,
              initialDelayMs: config.VERIFY_INITIAL_DELAY_MS,
              maxDelayMs: config.VERIFY_MAX_DELAY_MS,
            },
          } satisfies ExecutorSettings,
        },
        {
          provide: BusHolder,
          useFactory: async () => new BusHolder(await connectBus(config.NATS_URL, config.BUS_NAMESPACE, 'legwork-executor')),
        },
        {
          provide: HealthRegistry,
          useFactory: (ds: DataSource, bus: BusHolder) => databaseAndBusHealth(ds, bus.bus),
          inject: [DataSource, BusHolder],
        },
        { provide: AlertFactory, useValue: new AlertFactory(config.BUS_NAMESPACE) },
        {
          provide: OutboxRelay,
          useFactory: (outbox: OutboxRepository, holder: BusHolder) => new OutboxRelay(outbox, holder.bus, log, registry),
          inject: [OutboxRepository, BusHolder],
        },
        { provide: Failpoints, useValue: new Failpoints(config.EXECUTOR_FAILPOINTS) },
        {
          provide: StreamFills,
          useFactory: (identity: IdentityRepository) => streamFillsFrom(config, identity, registry, log),
          inject: [IdentityRepository],
        },
        ExecutorContext,
        PositionLease,
        AccountExchangeConnector,
        {
          provide: AccountExchanges,
          useFactory: (connector: AccountExchangeConnector) =>
            // Clients kept as long as the accounts' streams (the same secret, for their re-authentication).
            new AccountExchanges(connector, new KeptAccountPorts({ max: KEPT_ACCOUNT_CLIENTS, idleMs: config.EXECUTOR_STREAM_IDLE_MS })),
          inject: [AccountExchangeConnector],
        },
        LegExecutor,
        BasketRunner,
        BatchLegs,
        UnwindLegs,
        UnwindSettlement,
        UnwindBasket,
        OpenPositionUseCase,
        SequentialLegs,
        ClosePositionUseCase,
        RollbackPositionUseCase,
        RestorePositionUseCase,
        CommandFailureCounter,
        GiveUpCommandUseCase,
        RecordPoisonCommandUseCase,
        {
          provide: JetStreamServer,
          useFactory: (holder: BusHolder) => tradeCommandsServer(holder.bus, config, log),
          inject: [BusHolder],
        },
        BuildRestorePlanUseCase,
        StartRestoreUseCase,
        ReadMarkPricesUseCase,
        GatewayRequestsResponder,
        StalePlanGuard,
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { bus } = this.bus;
    await ensureStreams(bus.jsm, bus.names, this.config.BUS_STREAM_REPLICAS);
    await ensureCommandConsumer(bus.jsm, bus.names, {
      replicas: this.config.BUS_STREAM_REPLICAS,
      ackWaitMs: this.config.ACK_WAIT_MS,
      maxDeliver: this.config.RETRY_DELAYS_MS.length + 1 + this.config.CRASH_REDELIVERIES,
    });
    this.relay.start(this.config.OUTBOX_POLL_MS);
    this.backlogTimer = setInterval(() => void this.sampleBacklog(), 10_000);
    void this.sampleBacklog();
  }

  /** Consumer backlog for the metrics (pending = not yet delivered; ack pending = in flight). */
  private async sampleBacklog(): Promise<void> {
    const { bus } = this.bus;
    try {
      const info = await bus.jsm.consumers.info(bus.names.commandsStream, bus.names.executorDurable);
      this.metrics.consumerPending.set(info.num_pending);
      this.metrics.consumerAckPending.set(info.num_ack_pending);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read the command consumer backlog');
    }
  }

  /** Graceful shutdown, after Nest closed the JetStream server (in-flight legs finished): close the bus and the pool. */
  async onApplicationShutdown(): Promise<void> {
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    this.streamFills.closeAll();
    await this.relay.stop();
    await this.bus.bus.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.log.info('executor stopped');
  }
}

/** The executor's stream fills: off (REST only) with `EXECUTOR_STREAM_FILLS=false`. */
function streamFillsFrom(config: ExecutorConfig, identity: IdentityRepository, registry: Registry, log: Logger): StreamFills {
  const settings = {
    waitMs: config.EXECUTOR_STREAM_FILL_WAIT_MS,
    idleMs: config.EXECUTOR_STREAM_IDLE_MS,
    // A leg's executions are needed for at most its verification; kept a little longer.
    keepMs: config.VERIFY_TIMEOUT_MS + config.EXECUTOR_STREAM_FILL_WAIT_MS,
  };
  if (!config.EXECUTOR_STREAM_FILLS) return new StreamFills(null, settings, log);
  const streams = new BybitPrivateStreams(
    {
      env: config.BYBIT_ENV,
      simUrl: config.BYBIT_SIM_URL,
      connectsPer5Min: config.EXECUTOR_STREAM_CONNECTS_PER_5MIN,
      pingIntervalMs: config.STREAM_PING_INTERVAL_MS,
      pongTimeoutMs: config.STREAM_PONG_TIMEOUT_MS,
      reconnectBaseMs: config.STREAM_RECONNECT_BASE_MS,
      reconnectCapMs: config.STREAM_RECONNECT_CAP_MS,
    },
    registry,
  );
  return new StreamFills(new AccountStreamConnector(identity, streams), settings, log);
}
