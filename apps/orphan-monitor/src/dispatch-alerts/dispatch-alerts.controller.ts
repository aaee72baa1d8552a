import { Controller, Inject, OnApplicationBootstrap, OnApplicationShutdown, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import {
  Bus,
  consumerPatterns,
  decodeAlert,
  Disposition,
  ensureAlertDispatchConsumer,
  ensureStreams,
  JETSTREAM_TRANSPORT,
  JetStreamConsumerBinding,
  JetStreamContext,
  JetStreamErrorFilter,
  RemovalNotice,
} from '@legwork/messaging';
import { METRICS_REGISTRY, Registry } from '@legwork/observability';
import { SCAN_BUS, SCAN_LOGGER, SCAN_SERVICE_CONFIG, ScanServiceConfig } from '@legwork/scanning';
import { AlertDispatchConfig } from '../config';
import { AlertmanagerRefusedError } from './alertmanager.client';
import { DispatchAlertUseCase, DispatchOutcome } from './dispatch-alert.use-case';
import { DispatchMetricOutcome, DispatchMetrics } from './dispatch-metrics';

/** The patterns of the alert dispatcher's handlers. */
export const ALERT_DISPATCH = consumerPatterns('alert-dispatch');
/** Injection tokens: the dispatcher's configuration, and its use case (null while ALERTMANAGER_URL is unset). */
export const ALERT_DISPATCH_CONFIG = Symbol('ALERT_DISPATCH_CONFIG');
export const ALERT_DISPATCH_USE_CASE = Symbol('ALERT_DISPATCH_USE_CASE');

/**
 * The dispatcher's durable consumer of ALERTS (none while it is off): one alert at a time, so a
 * resolution normally follows what it resolves.
 */
export function alertDispatchConsumers(config: AlertDispatchConfig): (bus: Bus) => JetStreamConsumerBinding[] {
  if (!config.alertmanagerUrl) return () => [];
  return (bus) => [
    {
      patterns: ALERT_DISPATCH,
      stream: bus.names.alertsStream,
      durable: bus.names.alertDispatchDurable,
      concurrency: 1,
      retryDelaysMs: config.retryDelaysMs,
      heartbeatMs: Math.max(100, config.timeoutMs),
    },
  ];
}

/**
 * Thin transport of the alert dispatcher: decode, post through {@link DispatchAlertUseCase}, ack
 * only once Alertmanager answered 2xx. A post that failed is redelivered on the retry schedule,
 * whose last delay repeats without end (the failure count is capped): an alert is never given up
 * while Alertmanager is down. A post Alertmanager refuses as invalid (4xx), or an undecodable
 * message, is poison: logged, then removed. Also re-posts the firing alerts every refresh period.
 */
@Controller()
@UseFilters(new JetStreamErrorFilter())
export class DispatchAlertsController implements OnApplicationBootstrap, OnApplicationShutdown {
  private refreshTimer: NodeJS.Timeout | null = null;
  private readonly metrics: DispatchMetrics;

  constructor(
    @Inject(ALERT_DISPATCH_CONFIG) private readonly config: AlertDispatchConfig,
    @Inject(ALERT_DISPATCH_USE_CASE) private readonly useCase: DispatchAlertUseCase | null,
    @Inject(SCAN_LOGGER) private readonly log: Logger,
    @Inject(SCAN_BUS) private readonly bus: Bus,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(SCAN_SERVICE_CONFIG) private readonly service: ScanServiceConfig,
  ) {
    this.metrics = new DispatchMetrics(registry);
  }

  /** Creates the stream and the consumer before the JetStream server fetches; starts the refresh. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.useCase || !this.config.alertmanagerUrl) {
      this.log.info('ALERTMANAGER_URL is unset: application alerts are not posted to Alertmanager (dispatcher off)');
      return;
    }
    const replicas = this.service.env.BUS_STREAM_REPLICAS;
    await ensureStreams(this.bus.jsm, this.bus.names, replicas);
    const eventTtlMs = this.config.settings.eventTtlMs;
    await ensureAlertDispatchConsumer(this.bus.jsm, this.bus.names, {
      replicas,
      ackWaitMs: Math.max(10_000, 3 * this.config.timeoutMs),
      maxDeliver: -1,
      startFrom: new Date(Date.now() - eventTtlMs),
    });
    const useCase = this.useCase;
    const refresh = () =>
      useCase.refresh().then(
        (count) => {
          this.metrics.refreshes.inc({ outcome: 'ok' });
          this.metrics.firing.set(count);
          this.log.debug({ count }, 'firing alerts re-posted to Alertmanager');
        },
        (error: unknown) => {
          this.metrics.refreshes.inc({ outcome: 'failed' });
          this.log.warn({ err: error }, 'could not re-post the firing alerts to Alertmanager; next try in one refresh period');
        },
      );
    this.refreshTimer = setInterval(() => void refresh(), this.config.settings.refreshMs);
    void refresh();
    this.log.info({ alertmanagerUrl: this.config.alertmanagerUrl }, 'posting application alerts to Alertmanager');
  }

  onApplicationShutdown(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  @EventPattern(ALERT_DISPATCH.message, JETSTREAM_TRANSPORT)
  async handle(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): Promise<Disposition> {
    const decoded = decodeAlert(data);
    if (!decoded.ok) {
      this.count('undecodable');
      return { kind: 'term', reason: `undecodable alert: ${decoded.reason}` };
    }
    if (!this.useCase) return { kind: 'retry', reason: 'the dispatcher is off' };
    const { alert } = decoded;
    try {
      this.count(await this.useCase.execute({ ...alert, id: alert.alertId, occurredAt: new Date(alert.occurredAt) }));
      return { kind: 'ack' };
    } catch (error) {
      if (error instanceof AlertmanagerRefusedError) {
        this.count('refused');
        return { kind: 'term', reason: error.message };
      }
      this.count('unavailable');
      this.log.warn({ alertId: alert.alertId, kind: alert.kind, err: error }, 'alert not posted to Alertmanager; redelivery scheduled');
      const failureCount = Math.min(ctx.getDelivery().deliveryCount, this.config.retryDelaysMs.length);
      return { kind: 'retry', reason: (error as Error).message, failureCount };
    }
  }

  private count(outcome: DispatchOutcome | DispatchMetricOutcome): void {
    this.metrics.dispatched.inc({ outcome: outcome.replaceAll('-', '_') });
  }

  @EventPattern(ALERT_DISPATCH.retriesExhausted, JETSTREAM_TRANSPORT)
  retriesExhausted(@Payload() notice: RemovalNotice): void {
    this.log.error({ reason: notice.reason }, 'alert not posted to Alertmanager: retries exhausted');
  }

  @EventPattern(ALERT_DISPATCH.terminated, JETSTREAM_TRANSPORT)
  terminated(@Payload() notice: RemovalNotice): void {
    this.log.error(
      { reason: notice.reason, alert: Buffer.from(notice.data).toString('utf8').slice(0, 2000) },
      'alert refused by Alertmanager or undecodable: removed',
    );
  }
}
