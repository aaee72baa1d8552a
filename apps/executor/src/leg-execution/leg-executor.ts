import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HedgeSide } from '@legwork/domain';
import {
  ExchangePort,
  confirmOrderFill,
  ExchangeUnavailableError,
  SourceLags,
  isOrderFill,
  MarketOrderRequest,
  PlaceOrderOutcome,
  positionSlot,
  signedSize,
  verifyFill,
  VerificationSettings,
} from '@legwork/exchange';
import { OrderLedgerRepository, OrderRecord } from '@legwork/persistence';
import { ExecutorMetrics } from '../metrics';
import { AlertFactory } from '@legwork/messaging';
import { Failpoints } from '../failpoints';
import { TransientExecutionError } from './transient-error';
import { legClosedByExchangeAlert } from './leg-closed-alert';
import { OutboxRelay } from '@legwork/outbox';
import { StreamFills } from '../stream-fills/stream-fills';

/**
 * How one leg's order ended, as far as the basket is concerned. `filled_position_pending`: filled
 * per its order and executions, the position check deferred to the basket's end (`sequential`).
 */
export type LegResult =
  'filled_visible' | 'filled_not_visible' | 'filled_then_closed' | 'filled_position_pending' | 'rejected' | 'not_filled';

/**
 * How a sent leg is confirmed: `three_sources` (order, executions and the position size, per
 * leg) or `order` (order status and executions; the basket checks positions once at its end).
 */
export type LegConfirmation = 'three_sources' | 'order';

/**
 * Sends one leg's order and settles it, exactly once whatever happened before:
 *
 * - `send`: reads the position size (the verification baseline), marks the ledger row
 *   `SUBMITTED`, sends with the leg's deterministic `orderLinkId`, then verifies the fill from
 *   three sources (order, executions, position size); `sendConfirmingOrder` (an open basket's
 *   `sequential` legging) takes the baseline read before the basket and confirms the fill by
 *   order status and executions only, the basket checking positions once at its end;
 * - `settle` (a row left `SUBMITTED`/`UNCONFIRMED` by an earlier attempt): looks the order up by
 *   `orderLinkId` (orders and executions) first; only when the exchange has no trace of it is the
 *   same `orderLinkId` sent again — and if it did exist after all, Bybit refuses the resend as a
 *   duplicate (110072), which is again settled by lookup.
 *
 * An ambiguous outcome throws {@link TransientExecutionError}; the ledger row stays unsettled for
 * the next delivery (or reconciliation) to settle. It is never recorded as a rejection.
 */
@Injectable()
export class LegExecutor {
  constructor(
    private readonly ledger: OrderLedgerRepository,
    private readonly metrics: ExecutorMetrics,
    private readonly alerts: AlertFactory,
    private readonly relay: OutboxRelay,
    private readonly failpoints: Failpoints,
    private readonly streamFills: StreamFills,
  ) {}

  /** Sends under the account's lock on the leg's symbol (see OrderLedgerRepository.withSymbolLock). */
  send(exchange: ExchangePort, leg: OrderRecord, verification: VerificationSettings, log: Logger): Promise<LegResult> {
    return this.ledger.withSymbolLock(leg.accountId, leg.symbol, () => this.sendUnlocked(exchange, leg, verification, log));
  }

  /**
   * Sends a leg confirmed by its order status and executions alone (`sequential` legging): the
   * position-size check is the basket's, once at its end, against `sizeBefore` (the leg's slot
   * read before the basket). No symbol lock is taken here: the caller holds the basket's.
   */
  sendConfirmingOrder(
    exchange: ExchangePort,
    leg: OrderRecord,
    sizeBefore: string | null,
    verification: VerificationSettings,
    log: Logger,
  ): Promise<LegResult> {
    return this.submit(exchange, leg, sizeBefore, verification, log, 'order');
  }

  /** {@link send} for a caller that already holds the leg's symbol lock (a batch's resend of one leg). */
  async sendUnlocked(exchange: ExchangePort, leg: OrderRecord, verification: VerificationSettings, log: Logger): Promise<LegResult> {
    const sizeBefore = await this.readSize(exchange, leg.symbol, leg.hedgeSide);
    return this.submit(exchange, leg, sizeBefore, verification, log, 'three_sources');
  }

  private async submit(
    exchange: ExchangePort,
    leg: OrderRecord,
    sizeBefore: string | null,
    verification: VerificationSettings,
    log: Logger,
    confirmation: LegConfirmation,
  ): Promise<LegResult> {
    await this.ledger.markSubmitted(leg.id, sizeBefore);
    this.failpoints.hit(failpointName(leg, 'leg_submitted'), leg.legIndex);
    const sentAt = new Date();
    const outcome = await exchange.placeMarketOrder(orderRequestOf(leg));
    log.info({ orderLinkId: leg.orderLinkId, symbol: leg.symbol, side: leg.side, qty: leg.quantity, outcome }, 'leg order sent');
    switch (outcome.kind) {
      case 'rejected':
        return this.recordRejection(leg, outcome);
      case 'unknown':
        throw new TransientExecutionError(outcome.code, `leg ${leg.legIndex} ${leg.symbol} outcome unknown: ${outcome.reason}`);
      case 'accepted':
        // Confirmed by order within a round trip or two (`sequential`): the exchange order id is
        // written with the fill (markFilled), not on its own — an unsettled leg is settled by
        // `orderLinkId`, never by this id, so the separate write bought nothing between legs.
        if (confirmation === 'order') {
          this.failpoints.hit(failpointName(leg, 'leg_sent'), leg.legIndex);
          return this.confirmAndRecord(exchange, leg, verification, log, this.streamFills.waitMs, outcome.exchangeOrderId);
        }
        await this.ledger.recordExchangeOrderId(leg.id, outcome.exchangeOrderId);
        this.failpoints.hit(failpointName(leg, 'leg_sent'), leg.legIndex);
        return this.verifyAndRecord(exchange, leg, leg.positionSizeBefore ?? sizeBefore, sentAt, verification, log);
    }
  }

  /**
   * Settles a leg an earlier attempt left `SUBMITTED`/`UNCONFIRMED`: by `orderLinkId` (orders, then
   * executions). When the exchange has no trace of it, `resend` decides what happens (the open
   * flow resends the same `orderLinkId`; an unwind re-checks the exchange position first).
   * A found order is confirmed as `confirmation` says (default: the three sources).
   */
  async settle<R>(
    exchange: ExchangePort,
    leg: OrderRecord,
    verification: VerificationSettings,
    log: Logger,
    resend: () => Promise<R>,
    confirmation: LegConfirmation = 'three_sources',
  ): Promise<LegResult | R> {
    const order = await this.read(() => exchange.findOrder(leg.symbol, leg.orderLinkId), 'order lookup');
    // Only the order's own fills are a trace of it; a funding settlement is none (issue 16).
    const executions = order
      ? []
      : (await this.read(() => exchange.executions(leg.symbol, { orderLinkId: leg.orderLinkId }), 'executions')).filter(isOrderFill);
    if (!order && executions.length === 0) {
      log.info({ orderLinkId: leg.orderLinkId, status: leg.status }, 'no trace of the order on the exchange');
      return resend();
    }
    log.info({ orderLinkId: leg.orderLinkId, found: order?.state ?? 'executions only' }, 'settling an order of an earlier attempt');
    // Its executions were pushed before this attempt listened, unless this process kept them: no wait.
    if (confirmation === 'order') return this.confirmAndRecord(exchange, leg, verification, log, 0, order?.exchangeOrderId ?? null);
    return this.verifyAndRecord(exchange, leg, leg.positionSizeBefore, leg.submittedAt ?? new Date(), verification, log);
  }

  /** Records the exchange's definitive refusal of a leg's order: `REJECTED` with its code, reason and retCode. */
  async recordRejection(leg: OrderRecord, outcome: Extract<PlaceOrderOutcome, { kind: 'rejected' }>): Promise<'rejected'> {
    await this.ledger.markRejected(leg.id, {
      code: outcome.code,
      reason: outcome.reason,
      ...(outcome.exchange ? { exchange: outcome.exchange } : {}),
    });
    this.failpoints.hit(failpointName(leg, 'leg_refused'), leg.legIndex);
    this.metrics.legs.inc({ purpose: leg.purpose, outcome: 'rejected' });
    return 'rejected';
  }

  /**
   * Verifies an accepted order from its three sources and records what it came to (FILLED with
   * its fills, REJECTED when not filled); an unknown verdict marks the leg `UNCONFIRMED`.
   * @throws TransientExecutionError when nothing definitive is known by the verification timeout.
   */
  async verifyAndRecord(
    exchange: ExchangePort,
    leg: OrderRecord,
    sizeBefore: string | null,
    sentAt: Date,
    settings: VerificationSettings,
    log: Logger,
  ): Promise<LegResult> {
    const verdict = await verifyFill(
      exchange,
      { symbol: leg.symbol, orderLinkId: leg.orderLinkId, side: leg.side, sizeBefore, sentAt, hedgeSide: leg.hedgeSide },
      settings,
    );
    this.observeLags(verdict);
    log.info({ orderLinkId: leg.orderLinkId, outcome: verdict.outcome, lagsMs: verdict.lags }, 'leg verified');
    switch (verdict.outcome) {
      case 'filled_visible':
      case 'filled_not_visible':
      case 'filled_then_closed': {
        const alerts =
          verdict.outcome === 'filled_then_closed'
            ? [
                legClosedByExchangeAlert(
                  this.alerts,
                  leg,
                  verdict.fill.filledQuantity,
                  verdict.closingExecutions.map((e) => e.execId),
                ),
              ]
            : [];
        // The verdict's executions are recorded as they are: one trade row per execId (a Fill is their subset).
        await this.ledger.markFilled(leg, verdict.fill, alerts);
        this.failpoints.hit(failpointName(leg, 'leg_recorded'), leg.legIndex);
        if (alerts.length > 0) {
          this.relay.kick();
          log.warn(
            { orderLinkId: leg.orderLinkId },
            'leg filled then closed by the exchange; fills recorded, alert raised, no unwind sent',
          );
        }
        this.metrics.legs.inc({ purpose: leg.purpose, outcome: verdict.outcome });
        return verdict.outcome;
      }
      case 'not_filled':
        return this.recordNotFilled(leg, verdict.reason, verdict.exchangeOrderId);
      case 'unknown':
        return this.recordUnconfirmed(leg, verdict.reason);
    }
  }

  /**
   * Confirms a sent leg by its own fills and records it: from the account's private stream when
   * it delivers the whole fill (waiting up to `streamWaitMs` on a connected stream), else by its
   * order status and executions over REST ({@link confirmOrderFill}, the fallback and authority).
   * A stream fill of another exchange order than the one the exchange acknowledged
   * (`acceptedOrderId`, when known) is not trusted: REST decides.
   */
  private async confirmAndRecord(
    exchange: ExchangePort,
    leg: OrderRecord,
    settings: VerificationSettings,
    log: Logger,
    streamWaitMs: number,
    acceptedOrderId: string | null,
  ): Promise<LegResult> {
    const startedAt = Date.now();
    const waited = await this.streamFills.confirm(leg.accountId, leg.orderLinkId, leg.quantity, streamWaitMs);
    const streamed =
      waited.source === 'stream' && acceptedOrderId && waited.fill.exchangeOrderId !== acceptedOrderId
        ? { source: 'rest' as const, reason: 'order_mismatch' }
        : waited;
    this.metrics.fillConfirmations.inc({ source: streamed.source, reason: streamed.source === 'rest' ? streamed.reason : '' });
    const verdict =
      streamed.source === 'stream'
        ? { outcome: 'filled' as const, fill: streamed.fill, lags: { order: null, executions: null, position: null } }
        : await confirmOrderFill(exchange, { symbol: leg.symbol, orderLinkId: leg.orderLinkId, quantity: leg.quantity }, settings);
    if (streamed.source === 'stream') this.metrics.verificationLag.observe({ source: 'stream' }, (Date.now() - startedAt) / 1000);
    this.observeLags(verdict);
    log.info({ orderLinkId: leg.orderLinkId, outcome: verdict.outcome, lagsMs: verdict.lags, source: streamed.source }, 'leg verified');
    switch (verdict.outcome) {
      case 'filled':
        await this.ledger.markFilled(leg, verdict.fill, []);
        this.failpoints.hit(failpointName(leg, 'leg_recorded'), leg.legIndex);
        // Counted in `legs_total` by the basket's position check, as visible / not visible / closed.
        return 'filled_position_pending';
      case 'not_filled':
        return this.recordNotFilled(leg, verdict.reason, verdict.exchangeOrderId);
      case 'unknown':
        return this.recordUnconfirmed(leg, verdict.reason);
    }
  }

  private async recordNotFilled(leg: OrderRecord, reason: string, exchangeOrderId: string): Promise<LegResult> {
    await this.ledger.markRejected(leg.id, { code: 'EXCHANGE.NOT_FILLED', reason, exchangeOrderId });
    this.metrics.legs.inc({ purpose: leg.purpose, outcome: 'not_filled' });
    return 'not_filled';
  }

  private async recordUnconfirmed(leg: OrderRecord, reason: string): Promise<never> {
    await this.ledger.markUnconfirmed(leg.id, reason);
    this.metrics.legs.inc({ purpose: leg.purpose, outcome: 'unconfirmed' });
    throw new TransientExecutionError('EXECUTION.LEG_UNCONFIRMED', `leg ${leg.legIndex} ${leg.symbol} unconfirmed: ${reason}`);
  }

  /** Observes each source's lag (seconds) in `position_verification_lag_seconds{source}`. */
  observeLags(verdict: { lags: SourceLags }): void {
    for (const source of ['order', 'executions', 'position'] as const) {
      const ms = verdict.lags[source];
      if (ms !== null) this.metrics.verificationLag.observe({ source }, ms / 1000);
    }
  }

  /** The signed size of the account's position in `symbol`, on `hedgeSide` of a hedge-mode account (long +, short −). */
  async readSize(exchange: ExchangePort, symbol: string, hedgeSide: HedgeSide | null): Promise<string> {
    const views = await this.read(() => exchange.positions([symbol]), 'position list');
    return signedSize(positionSlot(views, symbol, hedgeSide)).toString();
  }

  /** Runs a read; an unavailable exchange becomes a {@link TransientExecutionError}. */
  async read<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ExchangeUnavailableError) throw new TransientExecutionError(error.code, `${what}: ${error.message}`);
      throw error;
    }
  }
}

/** The market order a planned leg sends: its symbol, side, quantity, `orderLinkId`, reduce-only flag and hedge side. */
export function orderRequestOf(leg: OrderRecord): MarketOrderRequest {
  return {
    symbol: leg.symbol,
    side: leg.side,
    quantity: leg.quantity,
    orderLinkId: leg.orderLinkId,
    reduceOnly: leg.reduceOnly,
    hedgeSide: leg.hedgeSide,
  };
}

/** `leg_sent` for an open leg; `close_leg_sent`, `rollback_leg_sent`, … for the other purposes. */
function failpointName(leg: OrderRecord, step: string): string {
  return leg.purpose === 'open' ? step : `${leg.purpose}_${step}`;
}
