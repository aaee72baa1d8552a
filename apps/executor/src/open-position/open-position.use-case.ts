import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { composeBasket, DomainError, nextBasketStep } from '@legwork/domain';
import { BybitClientFactory, encodeOrderLinkId, ExchangePort, ExchangeUnavailableError, VerificationSettings } from '@legwork/exchange';
import {
  IdentityRepository,
  IndexRepository,
  OrderLedgerRepository,
  OrderRecord,
  PersistenceError,
  PlannedOrder,
  PositionRecord,
  PositionRepository,
} from '@legwork/persistence';
import { LegExecutor } from '../leg-execution/leg-executor';
import { LeaseLostError, TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutorMetrics } from '../metrics';
import { EXECUTOR_SETTINGS, ExecutorSettings } from '../executor.settings';

/** Which delivery of which message is executing; a redelivery of the same message may take over. */
export interface Delivery {
  streamSequence: number;
  deliveryCount: number;
}

export type OpenPositionResult =
  | { kind: 'active' | 'failed' | 'already_settled' | 'duplicate' }
  | { kind: 'lease_lost' };

/**
 * OpenPosition: claims a `PENDING` position (or resumes an `EXECUTING` one from its ledger),
 * plans the basket once, places each leg exactly once in order, and ends `ACTIVE` with the
 * component snapshot, or `FAILED` at the first definitively rejected leg (filled legs stay:
 * "halt, don't reverse", seed 000).
 *
 * Invariant: the plan (legs, quantities, `orderLinkId`s) is written before the first order is
 * sent and never recomputed, so any redelivery resumes the same basket.
 * @throws TransientExecutionError when the exchange cannot answer or an outcome is unknown.
 */
@Injectable()
export class OpenPositionUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly indices: IndexRepository,
    private readonly identity: IdentityRepository,
    private readonly exchanges: BybitClientFactory,
    private readonly legs: LegExecutor,
    private readonly metrics: ExecutorMetrics,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  async execute(positionId: string, delivery: Delivery, baseLog: Logger): Promise<OpenPositionResult> {
    const owner = `${delivery.streamSequence}:${delivery.deliveryCount}:${this.settings.instanceId}`;
    const claim = await this.positions.claim(positionId, owner, this.settings.leaseMs, (holder) =>
      holder.startsWith(`${delivery.streamSequence}:`),
    );
    const log = baseLog.child({ positionId, owner });
    if (claim.kind === 'missing') throw new PersistenceError('POSITION.NOT_FOUND', `position ${positionId} does not exist`);
    if (claim.kind === 'not_executable') {
      log.info({ status: claim.position.status }, 'position already settled; command discarded');
      return { kind: 'already_settled' };
    }
    if (claim.kind === 'owned_elsewhere') {
      log.info({ holder: claim.position.leaseOwner }, 'another executor owns this attempt; duplicate discarded');
      return { kind: 'duplicate' };
    }
    log.info({ claim: claim.kind, ...(claim.kind === 'resumed' ? { previousOwner: claim.previousOwner } : {}) }, 'position claimed');
    const started = Date.now();
    try {
      const result = await this.run(claim.position, owner, log);
      this.metrics.basketDuration.observe({ outcome: result.kind }, (Date.now() - started) / 1000);
      return result;
    } catch (error) {
      if (error instanceof LeaseLostError || (error instanceof PersistenceError && error.code === 'POSITION.LEASE_LOST')) {
        log.warn('lease taken over by another delivery; stopping');
        return { kind: 'lease_lost' };
      }
      throw error;
    }
  }

  private async run(position: PositionRecord, owner: string, log: Logger): Promise<OpenPositionResult> {
    const account = await this.identity.findAccount(position.accountId);
    if (!account) return this.fail(position, owner, 'ACCOUNT.NOT_FOUND', `exchange account ${position.accountId} does not exist`);
    const exchange = await this.connect(() =>
      this.exchanges.connect({ accountId: account.id, apiKey: account.apiKey, apiSecret: this.identity.revealSecret(account) }),
    );
    let legs = await this.ledger.list(position.id, 'open', 0);
    if (legs.length === 0) {
      const planned = await this.plan(position, exchange);
      if (planned.failure) return this.fail(position, owner, planned.failure.code, planned.failure.reason);
      legs = await this.ledger.plan(position, 'open', 0, planned.orders);
      log.info({ legs: legs.map((l) => ({ symbol: l.symbol, side: l.side, qty: l.quantity, orderLinkId: l.orderLinkId })) }, 'basket planned');
    }

    const verification: VerificationSettings = this.settings.verification;
    for (;;) {
      const step = nextBasketStep(legs);
      if (step.kind === 'complete') {
        await this.positions.markActive(
          position.id,
          owner,
          legs.map((l) => ({
            legIndex: l.legIndex,
            symbol: l.symbol,
            side: l.side,
            expectedQuantity: l.filledQuantity,
            entryPrice: l.averagePrice ?? '0',
          })),
        );
        this.metrics.commands.inc({ type: 'OpenPosition', outcome: 'active' });
        log.info({ from: 'EXECUTING', to: 'ACTIVE' }, 'position ACTIVE');
        return { kind: 'active' };
      }
      if (step.kind === 'halt') {
        const leg = legs.find((l) => l.legIndex === step.leg.legIndex) as OrderRecord;
        return this.fail(position, owner, 'EXECUTION.LEG_REJECTED', describeHalt(leg, legs));
      }
      if (!(await this.positions.renewLease(position.id, owner, this.settings.leaseMs))) throw new LeaseLostError(position.id);
      const leg = legs.find((l) => l.legIndex === step.leg.legIndex) as OrderRecord;
      const legLog = log.child({ orderLinkId: leg.orderLinkId, legIndex: leg.legIndex });
      if (step.kind === 'send') await this.legs.send(exchange, leg, verification, legLog);
      else await this.legs.settle(exchange, leg, verification, legLog);
      legs = await this.ledger.list(position.id, 'open', 0);
    }
  }

  /** Composition from the index weights, the notional and current mark prices (lot-size rounded). */
  private async plan(
    position: PositionRecord,
    exchange: ExchangePort,
  ): Promise<{ failure: { code: string; reason: string }; orders?: never } | { failure?: never; orders: PlannedOrder[] }> {
    const index = await this.indices.find(position.indexId);
    if (!index) return { failure: { code: 'INDEX.NOT_FOUND', reason: `index ${position.indexId} does not exist` } };
    const symbols = index.components.map((c) => c.symbol);
    const [instruments, markPrices] = await this.connect(() => Promise.all([exchange.instrumentRules(symbols), exchange.markPrices(symbols)]));
    try {
      const legs = composeBasket({
        weights: index.components.map((c) => ({ symbol: c.symbol, weight: c.weight })),
        notionalUsdt: position.notionalUsdt,
        direction: position.direction,
        instruments,
        markPrices,
      });
      return {
        orders: legs.map((l) => ({
          legIndex: l.legIndex,
          orderLinkId: encodeOrderLinkId({ ownerId: position.id, purpose: 'open', attempt: 0, legIndex: l.legIndex }),
          symbol: l.symbol,
          side: l.side,
          quantity: l.quantity,
          reduceOnly: false,
          plannedMarkPrice: l.markPrice,
        })),
      };
    } catch (error) {
      if (error instanceof DomainError) return { failure: { code: error.code, reason: error.message } };
      throw error;
    }
  }

  /** Marks the position FAILED (by the lease owner) and counts it. */
  async fail(position: PositionRecord, owner: string | undefined, code: string, reason: string): Promise<OpenPositionResult> {
    await this.positions.markFailed(position.id, { code, reason }, owner);
    this.metrics.executionFailures.inc({ reason: code });
    this.metrics.commands.inc({ type: 'OpenPosition', outcome: 'failed' });
    return { kind: 'failed' };
  }

  /**
   * After the last retry: the position becomes FAILED ("retries exhausted") listing what it holds;
   * unconfirmed legs stay for reconciliation to settle by `orderLinkId`.
   */
  async giveUp(positionId: string, lastReason: string): Promise<void> {
    const position = await this.positions.findById(positionId);
    if (!position || (position.status !== 'EXECUTING' && position.status !== 'PENDING')) return;
    const legs = await this.ledger.list(positionId, 'open', 0);
    const held = legs.filter((l) => l.status === 'FILLED').map((l) => `${l.symbol} ${l.side} ${l.filledQuantity}`);
    const unsettled = legs.filter((l) => l.status === 'SUBMITTED' || l.status === 'UNCONFIRMED').map((l) => `${l.symbol} (${l.orderLinkId})`);
    const reason =
      `retries exhausted: ${lastReason}. Legs held: ${held.join(', ') || 'none'}` +
      (unsettled.length ? `. Unconfirmed, left for reconciliation: ${unsettled.join(', ')}` : '');
    await this.fail(position, undefined, 'EXECUTION.RETRIES_EXHAUSTED', reason);
  }

  private async connect<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ExchangeUnavailableError) throw new TransientExecutionError(error.code, error.message);
      throw error;
    }
  }
}

/** "leg 3 XRPUSDT rejected (EXCHANGE.INSUFFICIENT_MARGIN: …); filled: BTCUSDT buy 0.006, …; not sent: DOGEUSDT, LTCUSDT" */
function describeHalt(rejected: OrderRecord, legs: OrderRecord[]): string {
  const filled = legs.filter((l) => l.status === 'FILLED').map((l) => `${l.symbol} ${l.side} ${l.filledQuantity}`);
  const notSent = legs.filter((l) => l.status === 'PLANNED').map((l) => l.symbol);
  return (
    `leg ${rejected.legIndex} ${rejected.symbol} rejected (${rejected.rejectCode}: ${rejected.rejectReason})` +
    `; filled: ${filled.join(', ') || 'none'}; not sent: ${notSent.join(', ') || 'none'}`
  );
}
