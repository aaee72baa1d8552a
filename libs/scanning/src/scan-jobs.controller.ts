import { Controller, Injectable, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  Bus,
  consumerPatterns,
  Disposition,
  JETSTREAM_TRANSPORT,
  JetStreamConsumerBinding,
  JetStreamContext,
  JetStreamErrorFilter,
  JetStreamServer,
  RemovalNotice,
  ScanJobKind,
} from '@legwork/messaging';
import type { Logger } from 'pino';
import type { ScanJobHandler } from './scan-job.handler';

/** The patterns of a scan service's job handlers. */
export const SCAN_JOBS = consumerPatterns('scan-jobs');

/**
 * The scan job handler of this service, installed by the service module at bootstrap, where it
 * assembles the account scan. The JetStream server fetches jobs only after bootstrap, so a job
 * never finds the slot empty (if one did, the throw would be retried like any failure).
 */
@Injectable()
export class ScanJobs {
  private installed: ScanJobHandler | null = null;

  install(handler: ScanJobHandler): void {
    this.installed = handler;
  }

  get handler(): ScanJobHandler {
    if (!this.installed) throw new Error('no scan job handler installed yet');
    return this.installed;
  }
}

/** Thin transport for scan jobs: hands each delivery and each removal to the service's ScanJobHandler. */
@Controller()
@UseFilters(new JetStreamErrorFilter())
export class ScanJobsController {
  constructor(private readonly jobs: ScanJobs) {}

  @EventPattern(SCAN_JOBS.message, JETSTREAM_TRANSPORT)
  handle(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): Promise<Disposition> {
    return this.jobs.handler.handle(data, ctx.getDelivery());
  }

  @EventPattern(SCAN_JOBS.retriesExhausted, JETSTREAM_TRANSPORT)
  retriesExhausted(@Payload() notice: RemovalNotice, @Ctx() ctx: JetStreamContext): Promise<void> {
    return this.jobs.handler.onRetriesExhausted(ctx.getSubject(), notice.reason);
  }

  @EventPattern(SCAN_JOBS.terminated, JETSTREAM_TRANSPORT)
  terminated(@Payload() notice: RemovalNotice, @Ctx() ctx: JetStreamContext): Promise<void> {
    return this.jobs.handler.onTerminated(ctx.getSubject(), notice.reason);
  }
}

/**
 * Injection token an app's module may provide: the further durable consumers (their streams and
 * consumers created by the app's own bootstrap) the service's JetStream server serves to the app's
 * `@EventPattern` controllers, besides the scan jobs (the orphan monitor's operator scans).
 */
export const APP_CONSUMERS = Symbol('APP_CONSUMERS');

/** What an app provides under {@link APP_CONSUMERS}: its consumer bindings, given the bus (for its names). */
export type AppConsumers = (bus: Bus) => JetStreamConsumerBinding[];

/**
 * The service's JetStream server: the shared durable consumer of one kind of scan job
 * (`concurrency` accounts at once, an in-progress signal every third of the ack wait), plus the
 * app's own consumers.
 */
export function scanJobsServer(
  bus: Bus,
  job: ScanJobKind,
  settings: { concurrency: number; retryDelaysMs: readonly number[]; ackWaitMs: number },
  log: Logger,
  appConsumers: readonly JetStreamConsumerBinding[] = [],
): JetStreamServer {
  const { concurrency, retryDelaysMs, ackWaitMs } = settings;
  const binding = { patterns: SCAN_JOBS, stream: bus.names.scanJobsStream, durable: bus.names.scanDurable(job) };
  const scanJobs = { ...binding, concurrency, retryDelaysMs, heartbeatMs: Math.max(100, Math.floor(ackWaitMs / 3)) };
  return new JetStreamServer(bus, [scanJobs, ...appConsumers], log);
}
