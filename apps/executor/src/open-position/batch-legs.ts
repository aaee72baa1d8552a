import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { BatchOrderOutcome, ExchangePort, positionSlot, signedSize } from '@legwork/exchange';
import type { OrderRecord } from '@legwork/persistence';
import type { Basket, BasketEnd } from '../basket-runner/basket-runner';
import { LegExecutor, orderRequestOf } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutorContext } from '../position-work/executor-context';

/** An open basket for {@link BatchLegs}: the runner's basket without a policy or per-leg hooks. */
export type BatchBasket = Pick<Basket, 'positionId' | 'purpose' | 'attempt' | 'legs' | 'exchange' | 'lease'>;

/**
 * The `batch` legging mode of an open basket: every leg not yet sent goes to the exchange in ONE
 * create-batch request (`ExchangePort.placeMarketOrders`, Bybit POST /v5/order/create-batch), and
 * the legs are then verified concurrently. A rejected leg does not stop the others: the basket
 * ends `complete` when every leg filled, else `halted` at the first rejected leg, with every leg's
 * outcome recorded (the open use case fails the position exactly as a sequential halt).
 *
 * Exactly once, as the basket runner: the plan with every `orderLinkId` is in the ledger before
 * this runs; every leg of the request is marked `SUBMITTED` before the request leaves; a leg an
 * earlier attempt left `SUBMITTED`/`UNCONFIRMED` is settled by `orderLinkId` first, and only a
 * leg with no trace on the exchange is sent again (with the same `orderLinkId`, in the batch).
 * Per entry of the answer: `accepted` → verified and recorded; `rejected` → `REJECTED` with the
 * exchange's reason; `duplicate` (110072) → settled by `orderLinkId`; `not_placed` (10006, past
 * the batch budget) → resent alone through `/v5/order/create` with the same `orderLinkId`;
 * `unknown` (the request failed as a whole) → left `SUBMITTED` for the next delivery to settle.
 * The request is sent under the account's locks on all its symbols (`withSymbolLocks`).
 * @throws TransientExecutionError when the exchange cannot answer or a leg's outcome is unknown
 *   (after every other leg of the request was worked and recorded).
 */
@Injectable()
export class BatchLegs {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly legs: LegExecutor,
  ) {}

  async run(basket: BatchBasket, log: Logger): Promise<BasketEnd> {
    const { exchange } = basket;
    await basket.lease.renew();
    const unsettled = basket.legs.filter((l) => l.status === 'SUBMITTED' || l.status === 'UNCONFIRMED');
    const noTrace: OrderRecord[] = [];
    await allSettledOrThrow(
      unsettled.map((leg) =>
        this.legs.settle(exchange, leg, this.ctx.settings.verification, legLog(log, leg), async () => {
          noTrace.push(leg);
          return null;
        }),
      ),
    );
    const toSend = [...basket.legs.filter((l) => l.status === 'PLANNED'), ...noTrace].sort((a, b) => a.legIndex - b.legIndex);
    if (toSend.length > 0) {
      await basket.lease.renew();
      await this.ctx.ledger.withSymbolLocks(
        toSend[0]?.accountId ?? '',
        toSend.map((l) => l.symbol),
        () => this.sendBatch(exchange, toSend, log),
      );
    }
    const legs = await this.ctx.ledger.list(basket.positionId, basket.purpose, basket.attempt);
    const open = legs.filter((l) => l.status !== 'FILLED' && l.status !== 'REJECTED');
    if (open.length > 0) {
      throw new TransientExecutionError(
        'EXECUTION.LEG_UNCONFIRMED',
        `batch legs not settled: ${open.map((l) => `${l.symbol} ${l.status}`).join(', ')}`,
      );
    }
    const rejected = legs.find((l) => l.status === 'REJECTED');
    return rejected ? { kind: 'halted', leg: rejected, legs } : { kind: 'complete', legs };
  }

  /** Marks every leg SUBMITTED (with its slot's size before), sends them in one request, then works each entry. */
  private async sendBatch(exchange: ExchangePort, legs: OrderRecord[], log: Logger): Promise<void> {
    const views = await this.legs.read(() => exchange.positions([...new Set(legs.map((l) => l.symbol))]), 'position list');
    for (const leg of legs)
      await this.ctx.ledger.markSubmitted(leg.id, signedSize(positionSlot(views, leg.symbol, leg.hedgeSide)).toString());
    // Re-read: markSubmitted keeps the size before the FIRST submit, the baseline verification uses.
    const submitted = new Map(
      (await this.ctx.ledger.list(legs[0]?.positionId ?? '', legs[0]?.purpose, legs[0]?.attempt)).map((l) => [l.id, l]),
    );
    this.ctx.failpoints.hit('batch_submitted');
    const sentAt = new Date();
    const outcomes = await exchange.placeMarketOrders(legs.map(orderRequestOf));
    log.info(
      { legs: legs.map((leg, i) => ({ orderLinkId: leg.orderLinkId, symbol: leg.symbol, outcome: outcomes[i] })) },
      'batch of legs sent',
    );
    this.ctx.failpoints.hit('batch_sent');
    await allSettledOrThrow(
      legs.map((leg, i) => this.workEntry(exchange, submitted.get(leg.id) ?? leg, outcomes[i], sentAt, legLog(log, leg))),
    );
  }

  /** What one entry of the batch answer comes to, recorded in the ledger. */
  private async workEntry(
    exchange: ExchangePort,
    leg: OrderRecord,
    outcome: BatchOrderOutcome | undefined,
    sentAt: Date,
    log: Logger,
  ): Promise<void> {
    const verification = this.ctx.settings.verification;
    if (!outcome)
      throw new TransientExecutionError('EXCHANGE.UNKNOWN_ERROR', `leg ${leg.legIndex} ${leg.symbol}: no outcome in the batch answer`);
    switch (outcome.kind) {
      case 'accepted':
        await this.ctx.ledger.recordExchangeOrderId(leg.id, outcome.exchangeOrderId);
        this.ctx.failpoints.hit('leg_sent', leg.legIndex);
        await this.legs.verifyAndRecord(exchange, leg, leg.positionSizeBefore, sentAt, verification, log);
        return;
      case 'rejected':
        await this.legs.recordRejection(leg, outcome);
        return;
      case 'duplicate':
        // 110072: an order with this orderLinkId exists (an earlier attempt's): settle it.
        await this.legs.settle(exchange, leg, verification, log, () => {
          throw new TransientExecutionError(outcome.code, `leg ${leg.legIndex} ${leg.symbol}: duplicate orderLinkId, not visible yet`);
        });
        return;
      case 'not_placed':
        // Past the account's batch budget: not placed. Alone through /v5/order/create (its own budget).
        log.info({ orderLinkId: leg.orderLinkId, reason: outcome.reason }, 'batch entry not placed; sending the leg alone');
        await this.legs.sendUnlocked(exchange, leg, verification, log);
        return;
      case 'unknown':
        throw new TransientExecutionError(outcome.code, `leg ${leg.legIndex} ${leg.symbol} outcome unknown: ${outcome.reason}`);
    }
  }
}

function legLog(log: Logger, leg: OrderRecord): Logger {
  return log.child({ orderLinkId: leg.orderLinkId, legIndex: leg.legIndex });
}

/** Waits for every promise; then rethrows the first failure, so no leg's work is cut short by another's. */
async function allSettledOrThrow(work: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
