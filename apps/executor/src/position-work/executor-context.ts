import { Inject, Injectable } from '@nestjs/common';
import { OrderLedgerRepository, PositionRepository } from '@legwork/persistence';
import { AlertFactory } from '@legwork/messaging';
import { EXECUTOR_SETTINGS, ExecutorSettings } from '../executor.settings';
import { ExecutorMetrics } from '../metrics';
import { Failpoints } from '../failpoints';
import { OutboxRelay } from '@legwork/outbox';

/**
 * What every use case of the executor records through: positions and the order ledger, alerts
 * (committed via the outbox and published by the relay), metrics, failpoints and settings. Grouped so the
 * use cases' constructors name only what makes them different.
 */
@Injectable()
export class ExecutorContext {
  constructor(
    readonly positions: PositionRepository,
    readonly ledger: OrderLedgerRepository,
    readonly alerts: AlertFactory,
    readonly relay: OutboxRelay,
    readonly metrics: ExecutorMetrics,
    readonly failpoints: Failpoints,
    @Inject(EXECUTOR_SETTINGS) readonly settings: ExecutorSettings,
  ) {}
}
