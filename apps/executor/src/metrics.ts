import type { UnwindOutcome } from '@legwork/domain';
import { Registry, counter, gauge, histogram } from '@legwork/observability';

const UNWIND_OUTCOMES: UnwindOutcome[] = ['closed', 'already_flat', 'side_mismatch', 'still_open', 'failed'];

const SIGNED_BPS_BUCKETS = [-50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100, 200];

/** The executor's metrics (see docs: metrics reference). */
export class ExecutorMetrics {
  readonly verificationLag;
  readonly executionFailures;
  readonly commands;
  readonly legs;
  readonly basketDuration;
  readonly closeOutcomes;
  readonly rollbackOutcomes;
  readonly redeliveries;
  readonly consumerPending;
  readonly consumerAckPending;
  readonly leggingWindow;
  readonly legSlippage;
  readonly implementationShortfall;
  readonly fillConfirmations;

  constructor(readonly registry: Registry) {
    this.verificationLag = histogram(
      registry,
      'position_verification_lag_seconds',
      'Time from sending a leg until each source (order, executions, position; stream: the private stream delivered the whole fill) confirmed it',
      ['source'],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 30],
    );
    this.executionFailures = counter(registry, 'execution_failures_total', 'Positions that ended FAILED, by reason code', ['reason']);
    this.commands = counter(registry, 'trade_commands_total', 'Trade commands handled, by type and outcome', ['type', 'outcome']);
    this.legs = counter(registry, 'legs_total', 'Leg orders settled, by purpose and outcome', ['purpose', 'outcome']);
    this.basketDuration = histogram(
      registry,
      'basket_execution_seconds',
      'Time from claiming a position to ACTIVE or FAILED',
      ['outcome'],
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    );
    this.closeOutcomes = counter(
      registry,
      'close_total',
      'Close legs by outcome (closed, already_flat, side_mismatch, still_open, failed)',
      ['outcome'],
    );
    this.redeliveries = counter(
      registry,
      'command_redeliveries_total',
      'Command deliveries after the first (retries and redeliveries after crashes)',
    );
    this.consumerPending = gauge(registry, 'command_consumer_pending_messages', 'Commands in the stream not yet delivered to any executor');
    this.consumerAckPending = gauge(registry, 'command_consumer_ack_pending_messages', 'Commands delivered and not yet acknowledged');
    // Execution quality of open baskets that became ACTIVE (recordExecutionQuality). Basis points
    // are signed (positive = worse for the trader): the buckets reach below zero.
    this.leggingWindow = histogram(
      registry,
      'basket_legging_window_seconds',
      "An ACTIVE open basket's last fill minus its first (exchange execution times), by legging mode",
      ['mode'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    );
    this.legSlippage = histogram(
      registry,
      'leg_slippage_bps',
      "Each filled open leg's average fill price against its arrival mark price, basis points, positive = worse for the trader",
      [],
      SIGNED_BPS_BUCKETS,
    );
    this.implementationShortfall = histogram(
      registry,
      'basket_implementation_shortfall_bps',
      "An ACTIVE open basket's slippage against its arrival mark prices, weighted by filled notional, basis points",
      [],
      SIGNED_BPS_BUCKETS,
    );
    // Where a sequential leg's fill was confirmed: the private stream, or REST and why (issue 18).
    this.fillConfirmations = counter(
      registry,
      'leg_fill_confirmations_total',
      'Open legs confirmed by order (sequential legging), by source (stream, rest) and why REST (off, not_connected, stream_down, stream_silent, timeout, not_seen, order_mismatch)',
      ['source', 'reason'],
    );
    this.rollbackOutcomes = counter(
      registry,
      'rollback_total',
      'Rollback legs by outcome (closed, already_flat, side_mismatch, still_open, failed)',
      ['outcome'],
    );
    // Every outcome exists from the start at 0, so an alert sees the first non-`closed` one as an increase.
    for (const outcome of UNWIND_OUTCOMES) {
      this.closeOutcomes.inc({ outcome }, 0);
      this.rollbackOutcomes.inc({ outcome }, 0);
    }
  }
}
