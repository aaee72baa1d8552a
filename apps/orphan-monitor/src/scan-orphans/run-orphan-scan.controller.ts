import { Controller, Inject, OnApplicationBootstrap, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import {
  Bus,
  consumerPatterns,
  decodeScanOrphansCommand,
  Disposition,
  ensureOrphanScanCommandConsumer,
  ensureStreams,
  JETSTREAM_TRANSPORT,
  JetStreamConsumerBinding,
  JetStreamErrorFilter,
  RemovalNotice,
} from '@legwork/messaging';
import { OutboxRelay } from '@legwork/outbox';
import { AppConsumers, SCAN_BUS, SCAN_LOGGER, SCAN_SERVICE_CONFIG, ScanServiceConfig } from '@legwork/scanning';
import { RunOrphanScanUseCase } from './run-orphan-scan.use-case';

/** The patterns of the operators' on-demand orphan scan handlers. */
export const ORPHAN_SCAN_COMMANDS = consumerPatterns('orphan-scan-commands');

/**
 * The durable consumer of operators' on-demand orphan scans, served by the service's JetStream
 * server (provided as the app's `APP_CONSUMERS`): one run at a time per scan concurrency slot,
 * the scan retry schedule, an in-progress signal every third of the ack wait.
 */
export function orphanScanCommandConsumers(config: ScanServiceConfig): AppConsumers {
  const { env } = config;
  return (bus: Bus): JetStreamConsumerBinding[] => [
    {
      patterns: ORPHAN_SCAN_COMMANDS,
      stream: bus.names.scanJobsStream,
      durable: bus.names.orphanScanCommandDurable,
      concurrency: env.SCAN_CONCURRENCY,
      retryDelaysMs: env.SCAN_RETRY_DELAYS_MS,
      heartbeatMs: Math.max(100, Math.floor(env.SCAN_ACK_WAIT_MS / 3)),
    },
  ];
}

/**
 * Thin transport of operators' on-demand orphan scans (`ScanOrphans`, published by the gateway
 * through its outbox): decode, run the scan, publish its alerts now, ack. A run whose scan throws
 * (the database, not an account: failed accounts are in the report) is retried on the scan retry
 * schedule, then recorded as failed. A command for a run that does not exist is poison.
 */
@Controller()
@UseFilters(new JetStreamErrorFilter())
export class RunOrphanScanController implements OnApplicationBootstrap {
  constructor(
    @Inject(SCAN_SERVICE_CONFIG) private readonly config: ScanServiceConfig,
    @Inject(SCAN_LOGGER) private readonly log: Logger,
    @Inject(SCAN_BUS) private readonly bus: Bus,
    private readonly relay: OutboxRelay,
    private readonly useCase: RunOrphanScanUseCase,
  ) {}

  /** Creates the stream and the durable consumer before the JetStream server starts fetching. */
  async onApplicationBootstrap(): Promise<void> {
    const { env } = this.config;
    await ensureStreams(this.bus.jsm, this.bus.names, env.BUS_STREAM_REPLICAS);
    await ensureOrphanScanCommandConsumer(this.bus.jsm, this.bus.names, {
      replicas: env.BUS_STREAM_REPLICAS,
      ackWaitMs: env.SCAN_ACK_WAIT_MS,
      maxDeliver: env.SCAN_RETRY_DELAYS_MS.length + 3,
    });
  }

  @EventPattern(ORPHAN_SCAN_COMMANDS.message, JETSTREAM_TRANSPORT)
  async handle(@Payload() data: Uint8Array): Promise<Disposition> {
    const decoded = decodeScanOrphansCommand(data);
    if (!decoded.ok) return { kind: 'term', reason: `undecodable orphan scan command: ${decoded.reason}` };
    const { runId } = decoded.command;
    const outcome = await this.useCase.execute(runId);
    if (outcome === 'unknown-run') return { kind: 'term', reason: `orphan scan run ${runId} does not exist` };
    this.relay.kick();
    this.log.info({ runId, outcome }, 'on-demand orphan scan done');
    return { kind: 'ack' };
  }

  @EventPattern(ORPHAN_SCAN_COMMANDS.retriesExhausted, JETSTREAM_TRANSPORT)
  async retriesExhausted(@Payload() notice: RemovalNotice): Promise<void> {
    const decoded = decodeScanOrphansCommand(notice.data);
    if (decoded.ok) await this.useCase.giveUp(decoded.command.runId, notice.reason);
    this.log.error({ reason: notice.reason }, 'on-demand orphan scan gave up');
  }

  @EventPattern(ORPHAN_SCAN_COMMANDS.terminated, JETSTREAM_TRANSPORT)
  async terminated(@Payload() notice: RemovalNotice): Promise<void> {
    this.log.error({ reason: notice.reason }, 'poison orphan scan command removed');
  }
}
