import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import Decimal from 'decimal.js';
import { composeBasket, DomainError, hedgeSideOfOrder, InstrumentRules, MarginLeg } from '@legwork/domain';
import { encodeOrderLinkId } from '@legwork/exchange';
import { commandMessage, OutboxMessage } from '@legwork/messaging';
import {
  IndexRepository,
  IndexWithComponents,
  OrderLedgerRepository,
  OrderRecord,
  PlannedOrder,
  PositionRecord,
  PositionRepository,
  UnwindRequest,
} from '@legwork/persistence';
import { LegExecutor } from '../leg-execution/leg-executor';
import type { BasketEnd } from '../basket-runner/basket-runner';
import { BatchLegs } from './batch-legs';
import { AccountExchanges } from '../position-work/account-exchanges';
import { Delivery, Lease, PositionLease } from '../position-work/position-lease';
import { ExecutorMetrics } from '../metrics';
import { ExecutorContext } from '../position-work/executor-context';
import { checkExchangeMaintenance } from './maintenance-pre-check';
import { checkPositionMode } from './position-mode-pre-check';
import { ensureOneXLeverage } from './leverage-pre-check';
import { checkBasketMargin } from './margin-pre-check';
import { startPreCheckReads } from './pre-check-reads';
import { SequentialLegs } from './sequential-legs';
import { recordExecutionQuality } from './record-execution-quality';
import type { ExecutionFailure, ExecutionFailureCode } from '../errors/execution-error-codes';

export type OpenPositionResult = 'active' | 'failed' | 'already_settled' | 'duplicate' | 'lease_lost';

/**
 * OpenPosition: claims a `PENDING` position (or resumes an `EXECUTING` one from its ledger),
 * plans the basket once, places each leg exactly once (`sequential`: in order, SequentialLegs;
 * `batch`: see runBatch), and ends `ACTIVE` with the
 * component snapshot, or `FAILED` at the first definitively rejected leg (filled legs stay:
 * "halt, don't reverse", seed 000 — unless the request opted in to `onPartialFailure: rollback`).
 *
 * Invariant: the plan (legs, quantities, `orderLinkId`s) is written before the first order is
 * sent and never recomputed, so any redelivery resumes the same basket. Between the two, the
 * whole basket is pre-checked, so that a basket that cannot be placed whole is refused whole with
 * no order sent: exchange maintenance, composition (instrument status, lot size, min/max market
 * quantity, minimum notional), the account's position mode, its available balance against the
 * basket's margin at 1x plus fees (margin-pre-check.ts), and every symbol put at 1x
 * (leverage-pre-check.ts). The legs are then sent as the position's `legging` says.
 * @throws TransientExecutionError when the exchange cannot answer or an outcome is unknown.
 */
@Injectable()
export class OpenPositionUseCase {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly lease: PositionLease,
    private readonly indices: IndexRepository,
    private readonly exchanges: AccountExchanges,
    private readonly legs: LegExecutor,
    private readonly sequential: SequentialLegs,
    private readonly batch: BatchLegs,
  ) {}

  private get positions(): PositionRepository {
    return this.ctx.positions;
  }
  private get ledger(): OrderLedgerRepository {
    return this.ctx.ledger;
  }
  private get metrics(): ExecutorMetrics {
    return this.ctx.metrics;
  }

  async execute(positionId: string, delivery: Delivery, log: Logger): Promise<OpenPositionResult> {
    const started = Date.now();
    const outcome = await this.lease.run(
      positionId,
      { start: 'PENDING', working: 'EXECUTING' },
      delivery,
      log.child({ positionId }),
      (position, lease) => this.run(position, lease, log.child({ positionId, owner: lease.owner })),
    );
    if (outcome.kind !== 'ran') return outcome.kind;
    this.metrics.basketDuration.observe({ outcome: outcome.result }, (Date.now() - started) / 1000);
    return outcome.result;
  }

  private async run(position: PositionRecord, lease: Lease, log: Logger): Promise<'active' | 'failed'> {
    this.ctx.failpoints.hit('claimed');
    // Opened now, so that the stream connects while the pre-checks run.
    const releaseStream = position.legging === 'sequential' ? this.sequential.followFills(position.accountId) : null;
    try {
      return await this.runClaimed(position, lease, log);
    } finally {
      releaseStream?.();
    }
  }

  private async runClaimed(position: PositionRecord, lease: Lease, log: Logger): Promise<'active' | 'failed'> {
    const exchange = await this.exchanges.forAccount(position.accountId);
    if ('failure' in exchange) return this.fail(position, lease.owner, exchange.failure.code, exchange.failure.reason, log);
    let legs = await this.ledger.list(position.id, 'open', 0);
    if (legs.length === 0) {
      const index = await this.indices.find(position.indexId);
      if (!index) return this.fail(position, lease.owner, 'INDEX.NOT_FOUND', `index ${position.indexId} does not exist`, log);
      // Every pre-check read at once; each check still decides in this order, a refusal sending no order.
      const reads = startPreCheckReads(
        exchange.port,
        this.legs,
        index.components.map((c) => c.symbol),
      );
      const maintenance = await checkExchangeMaintenance(reads.maintenance);
      if (maintenance) return this.fail(position, lease.owner, maintenance.code, maintenance.reason, log);
      const planned = this.plan(position, index, await reads.marketData);
      if (planned.failure) return this.fail(position, lease.owner, planned.failure.code, planned.failure.reason, log);
      // Pre-checks of the account, after the basket composed (an unlisted or halted symbol is
      // refused there first) and before the plan is written: a refusal sends no order.
      const symbols = planned.orders.map((o) => o.symbol);
      // One read of every symbol's rows (flat ones included) for the mode and the leverage checks.
      const rows = await reads.rows;
      const mode = checkPositionMode(position, symbols, rows);
      if (mode) return this.fail(position, lease.owner, mode.code, mode.reason, log);
      // Before 1x is set: a basket refused for its margin changes nothing on the account.
      const margin = await checkBasketMargin(reads.availableBalanceUsdt, planned.margin, log);
      if (margin) return this.fail(position, lease.owner, margin.code, margin.reason, log);
      const leverage = await ensureOneXLeverage(exchange.port, symbols, this.legs, log, rows);
      if (leverage) return this.fail(position, lease.owner, leverage.code, leverage.reason, log);
      legs = await this.ledger.plan(position, 'open', 0, planned.orders);
      log.info(
        { legs: legs.map((l) => ({ symbol: l.symbol, side: l.side, qty: l.quantity, orderLinkId: l.orderLinkId })) },
        'basket planned',
      );
      this.ctx.failpoints.hit('planned');
    }
    if (position.legging === 'batch') {
      // Every leg in one create-batch request (batch-legs.ts); a rejected leg does not stop the others.
      const basket = { positionId: position.id, purpose: 'open' as const, attempt: 0, legs, exchange: exchange.port, lease };
      return this.settle(position, lease, await this.batch.run(basket, log), log);
    }
    const { end, alerts } = await this.sequential.run(position, legs, exchange.port, lease, log);
    return this.settle(position, lease, end, log, alerts);
  }

  /** The end of an open basket: ACTIVE with its components (and `alerts` in the same transaction), or FAILED at the halting leg. */
  private async settle(
    position: PositionRecord,
    lease: Lease,
    end: BasketEnd,
    log: Logger,
    alerts: OutboxMessage[] = [],
  ): Promise<'active' | 'failed'> {
    if (end.kind === 'halted')
      return this.fail(position, lease.owner, 'EXECUTION.LEG_REJECTED', describeHalt(end.leg, end.legs), log, end.legs);
    this.ctx.failpoints.hit('before_active');
    await this.positions.markActive(
      position.id,
      lease.owner,
      end.legs.map((l) => ({
        legIndex: l.legIndex,
        symbol: l.symbol,
        side: l.side,
        expectedQuantity: l.filledQuantity,
        entryPrice: l.averagePrice ?? '0',
      })),
      alerts,
    );
    if (alerts.length > 0) this.ctx.relay.kick();
    log.info({ from: 'EXECUTING', to: 'ACTIVE' }, 'position ACTIVE');
    await recordExecutionQuality(this.ledger, this.metrics, position, end.legs, log);
    return 'active';
  }

  /** Composition from the index weights, the notional and current mark prices (lot-size rounded). */
  private plan(
    position: PositionRecord,
    index: IndexWithComponents,
    [instruments, markPrices]: [Map<string, InstrumentRules>, Map<string, string>],
  ): { failure: ExecutionFailure; orders?: never; margin?: never } | { failure?: never; orders: PlannedOrder[]; margin: MarginLeg[] } {
    try {
      const legs = composeBasket({
        weights: index.components.map((c) => ({ symbol: c.symbol, weight: c.weight })),
        notionalUsdt: position.notionalUsdt,
        direction: position.direction,
        instruments,
        markPrices,
      });
      return {
        margin: legs.map((l) => ({ legIndex: l.legIndex, symbol: l.symbol, estimatedNotionalUsdt: l.estimatedNotionalUsdt })),
        orders: legs.map((l) => ({
          legIndex: l.legIndex,
          orderLinkId: encodeOrderLinkId({ ownerId: position.id, purpose: 'open', attempt: 0, legIndex: l.legIndex }),
          symbol: l.symbol,
          side: l.side,
          quantity: l.quantity,
          reduceOnly: false,
          plannedMarkPrice: l.markPrice,
          hedgeSide: hedgeSideOfOrder(position.positionMode, l.side, false),
        })),
      };
    } catch (error) {
      if (error instanceof DomainError) return { failure: { code: error.code, reason: error.message } };
      throw error;
    }
  }

  /**
   * FAILED (by the lease owner), with an alert when legs are held; with `onPartialFailure:
   * rollback` and filled legs, the rollback is requested in the same transaction.
   */
  private async fail(
    position: PositionRecord,
    owner: string | undefined,
    code: ExecutionFailureCode,
    reason: string,
    log: Logger,
    legs: OrderRecord[] = [],
  ): Promise<'failed'> {
    const held = legs.filter((l) => l.status === 'FILLED');
    const messages: OutboxMessage[] = [];
    if (held.length > 0) {
      messages.push(
        this.ctx.alerts.build({
          kind: 'execution.partial_fill',
          severity: 'warning',
          summary: `Position ${position.id} FAILED with ${held.length} of ${legs.length} legs held (${held.map((l) => `${l.symbol} ${l.side} ${l.filledQuantity}`).join(', ')}): ${reason}`,
          positionId: position.id,
          accountId: position.accountId,
          details: { code, onPartialFailure: position.onPartialFailure },
          dedupeKey: `${position.id}:open`,
        }),
      );
    }
    if (held.length > 0 && position.onPartialFailure === 'rollback' && owner) {
      await this.positions.failAndRollBack(position.id, { code, reason }, owner, messages, this.rollbackRequest(position));
      log.info({ from: 'EXECUTING', to: 'ROLLING_BACK', code }, 'position FAILED; automatic rollback requested');
    } else {
      await this.positions.markFailed(position.id, { code, reason }, owner, messages);
      log.info({ from: position.status, to: 'FAILED', code, reason }, 'position FAILED');
    }
    if (messages.length > 0 || position.onPartialFailure === 'rollback') this.ctx.relay.kick();
    this.metrics.executionFailures.inc({ reason: code });
    return 'failed';
  }

  /** The rollback of `position` as its next rollback attempt (an EXECUTING position has never been rolled back: 0). */
  private rollbackRequest(position: PositionRecord): UnwindRequest {
    const attempt = position.rollbackAttempts;
    return { attempt, command: commandMessage(this.ctx.settings.namespace, 'RollbackPosition', { positionId: position.id, attempt }) };
  }

  /**
   * After the last retry: the position becomes FAILED ("retries exhausted") listing what it holds;
   * unconfirmed legs stay for reconciliation to settle by `orderLinkId`. Alerts.
   */
  async giveUp(positionId: string, lastReason: string, log: Logger): Promise<void> {
    const position = await this.positions.findById(positionId);
    if (!position || (position.status !== 'EXECUTING' && position.status !== 'PENDING')) return;
    const legs = await this.ledger.list(positionId, 'open', 0);
    const held = legs.filter((l) => l.status === 'FILLED').map((l) => `${l.symbol} ${l.side} ${l.filledQuantity}`);
    const unsettled = legs
      .filter((l) => l.status === 'SUBMITTED' || l.status === 'UNCONFIRMED')
      .map((l) => `${l.symbol} (${l.orderLinkId})`);
    const reason =
      `retries exhausted: ${lastReason}. Legs held: ${held.join(', ') || 'none'}` +
      (unsettled.length ? `. Unconfirmed, left for reconciliation: ${unsettled.join(', ')}` : '');
    const alert = this.ctx.alerts.build({
      kind: 'execution.retries_exhausted',
      severity: held.length + unsettled.length > 0 ? 'critical' : 'warning',
      summary: `Position ${positionId} FAILED after every retry: ${reason}`,
      positionId,
      accountId: position.accountId,
      details: { held, unsettled },
      dedupeKey: `${positionId}:open`,
    });
    await this.positions.markFailed(positionId, { code: 'EXECUTION.RETRIES_EXHAUSTED', reason }, undefined, [alert]);
    this.ctx.relay.kick();
    this.metrics.executionFailures.inc({ reason: 'EXECUTION.RETRIES_EXHAUSTED' });
    log.warn({ positionId, to: 'FAILED', reason }, 'position FAILED: retries exhausted');
  }
}

/** "leg 3 XRPUSDT rejected (EXCHANGE.INSUFFICIENT_MARGIN: …); filled: BTCUSDT buy 0.006, …; not sent: DOGEUSDT, LTCUSDT" */
function describeHalt(rejected: OrderRecord, legs: OrderRecord[]): string {
  // NUMERIC columns read back padded ("0.0060000000"): the reason shows the quantity as traded.
  const filled = legs.filter((l) => l.status === 'FILLED').map((l) => `${l.symbol} ${l.side} ${new Decimal(l.filledQuantity).toFixed()}`);
  const notSent = legs.filter((l) => l.status === 'PLANNED').map((l) => l.symbol);
  // A batch can reject several legs: the others are named too.
  const others = legs.filter((l) => l.status === 'REJECTED' && l.id !== rejected.id).map((l) => `${l.symbol} (${l.rejectCode})`);
  return (
    `leg ${rejected.legIndex} ${rejected.symbol} rejected (${rejected.rejectCode}: ${rejected.rejectReason})` +
    (others.length > 0 ? `; also rejected: ${others.join(', ')}` : '') +
    `; filled: ${filled.join(', ') || 'none'}; not sent: ${notSent.join(', ') || 'none'}`
  );
}
