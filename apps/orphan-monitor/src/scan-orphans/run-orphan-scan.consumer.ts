import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import {
  Bus,
  decodeScanOrphansCommand,
  Disposition,
  ensureOrphanScanCommandConsumer,
  ensureStreams,
  MessageHandler,
  OutboxRelay,
  runConsumer,
} from '@legwork/messaging';
import { SCAN_BUS, SCAN_LOGGER, SCAN_SERVICE_CONFIG, ScanServiceConfig } from '@legwork/scanning';
import { RunOrphanScanUseCase } from './run-orphan-scan.use-case';

/**
 * Thin transport of operators' on-demand orphan scans (`ScanOrphans`, published by the gateway
 * through its outbox): decode, run the scan, publish its alerts now, ack. A run whose scan throws
 * (the database, not an account: failed accounts are in the report) is retried on the scan retry
 * schedule, then recorded as failed. A command for a run that does not exist is poison.
 */
@Injectable()
export class RunOrphanScanConsumer implements MessageHandler, OnApplicationBootstrap, OnApplicationShutdown {
  private stopConsumer: (() => Promise<void>) | null = null;

  constructor(
    @Inject(SCAN_SERVICE_CONFIG) private readonly config: ScanServiceConfig,
    @Inject(SCAN_LOGGER) private readonly log: Logger,
    @Inject(SCAN_BUS) private readonly bus: Bus,
    private readonly relay: OutboxRelay,
    private readonly useCase: RunOrphanScanUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { env } = this.config;
    await ensureStreams(this.bus.jsm, this.bus.names);
    await ensureOrphanScanCommandConsumer(this.bus.jsm, this.bus.names, {
      ackWaitMs: env.SCAN_ACK_WAIT_MS,
      maxDeliver: env.SCAN_RETRY_DELAYS_MS.length + 3,
    });
    const running = await runConsumer(
      this.bus,
      {
        stream: this.bus.names.scanJobsStream,
        durable: this.bus.names.orphanScanCommandDurable,
        concurrency: env.SCAN_CONCURRENCY,
        retryDelaysMs: env.SCAN_RETRY_DELAYS_MS,
        heartbeatMs: Math.max(100, Math.floor(env.SCAN_ACK_WAIT_MS / 3)),
      },
      this,
      this.log,
    );
    this.stopConsumer = running.stop;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopConsumer?.();
  }

  async handle(msg: JsMsg): Promise<Disposition> {
    const decoded = decodeScanOrphansCommand(msg.data);
    if (!decoded.ok) return { kind: 'term', reason: `undecodable orphan scan command: ${decoded.reason}` };
    const { runId } = decoded.command;
    const outcome = await this.useCase.execute(runId);
    if (outcome === 'unknown-run') return { kind: 'term', reason: `orphan scan run ${runId} does not exist` };
    this.relay.kick();
    this.log.info({ runId, outcome }, 'on-demand orphan scan done');
    return { kind: 'ack' };
  }

  async onRetriesExhausted(msg: JsMsg, reason: string): Promise<void> {
    const decoded = decodeScanOrphansCommand(msg.data);
    if (decoded.ok) await this.useCase.giveUp(decoded.command.runId, reason);
    this.log.error({ subject: msg.subject, reason }, 'on-demand orphan scan gave up');
  }

  async onTerminated(msg: JsMsg, reason: string): Promise<void> {
    this.log.error({ subject: msg.subject, reason }, 'poison orphan scan command removed');
  }
}
