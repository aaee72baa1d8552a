import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { decideUnwindLeg, hedgeSideOfOrder, nextBasketStep, oppositeSide, UnwindOutcome, UnwindShortfall } from '@legwork/domain';
import { encodeOrderLinkId, ExchangePort, isNothingToReduce, positionSlot, signedSize } from '@legwork/exchange';
import { OrderRecord, PositionRecord, PlannedOrder, ScanRepository } from '@legwork/persistence';
import { LegExecutor, LegResult } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { AccountExchanges } from '../position-work/account-exchanges';
import { ExecutorContext } from '../position-work/executor-context';
import { Delivery, Lease, PositionLease } from '../position-work/position-lease';
import { othersExpectation } from './others-expectation';
import { unwindFailureCode } from '../errors/execution-error-codes';
import { OutboxMessage } from '@legwork/messaging';

export type UnwindKind = 'close' | 'rollback';

const STATUSES = {
  close: { working: 'CLOSING', done: 'CLOSED', back: 'ACTIVE' },
  rollback: { working: 'ROLLING_BACK', done: 'ROLLED_BACK', back: 'FAILED' },
} as const;

/**
 * Close (`CLOSING` → `CLOSED`) or roll back (`ROLLING_BACK` → `ROLLED_BACK`) a position: one
 * reduce-only market order per held leg, for exactly the recorded quantity (less if the
 * exchange holds less), on the side opposite to the RECORDED leg — cross-checked against the
 * exchange position right before sending (seed 004). Each leg's exposure must then be seen to
 * fall. A side mismatch or a failed leg sends nothing more for that leg, raises an alert and
 * returns the position to `ACTIVE` / `FAILED`; nothing is ever guessed.
 *
 * Held legs: the `position_components` snapshot for a close; the filled open legs for a rollback.
 */
@Injectable()
export class UnwindPositionUseCase {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly lease: PositionLease,
    private readonly exchanges: AccountExchanges,
    private readonly legs: LegExecutor,
    private readonly scans: ScanRepository,
  ) {}

  async execute(kind: UnwindKind, positionId: string, attempt: number, delivery: Delivery, log: Logger): Promise<string> {
    const outcome = await this.lease.run(
      positionId,
      { working: STATUSES[kind].working },
      delivery,
      log.child({ positionId }),
      (position, lease) => this.run(kind, position, attempt, lease, log.child({ positionId, owner: lease.owner, kind, attempt })),
    );
    return outcome.kind === 'ran' ? outcome.result : outcome.kind;
  }

  private async run(kind: UnwindKind, position: PositionRecord, attempt: number, lease: Lease, log: Logger): Promise<string> {
    const exchange = await this.exchanges.forAccount(position.accountId);
    if ('failure' in exchange) return this.finish(kind, position, attempt, lease, [], log, exchange.failure.reason);
    let legs = await this.ctx.ledger.list(position.id, kind, attempt);
    if (legs.length === 0) {
      const held = await this.held(kind, position, exchange.port, log);
      if (held.length === 0) return this.finish(kind, position, attempt, lease, [], log);
      legs = await this.ctx.ledger.plan(
        position,
        kind,
        attempt,
        held.map((h) => this.unwindOrder(position, kind, attempt, h)),
      );
      log.info(
        { legs: legs.map((l) => ({ symbol: l.symbol, side: l.side, qty: l.quantity, orderLinkId: l.orderLinkId })) },
        `${kind} planned`,
      );
    }
    for (;;) {
      // A crash between settling a leg and recording its unwind outcome leaves a settled leg
      // without one: a refused leg gets it from its recorded refusal, a filled leg is settled again
      // by orderLinkId (its fills are kept once) so that whether its exposure fell is known.
      for (const leg of legs.filter((l) => l.status === 'REJECTED' && !l.unwindOutcome)) {
        leg.unwindOutcome = await this.outcome(leg, 'rejected');
        await this.record(kind, leg, leg.unwindOutcome);
      }
      const step = nextBasketStep(
        legs.map((l) =>
          l.status === 'REJECTED'
            ? { ...l, status: 'SKIPPED' as const }
            : l.status === 'FILLED' && !l.unwindOutcome
              ? { ...l, status: 'SUBMITTED' as const }
              : l,
        ),
      );
      if (step.kind === 'complete' || step.kind === 'halt') return this.finish(kind, position, attempt, lease, legs, log);
      await lease.renew();
      const leg = legs.find((l) => l.legIndex === step.leg.legIndex) as OrderRecord;
      const legLog = log.child({ orderLinkId: leg.orderLinkId, legIndex: leg.legIndex });
      const decideAndSend = () => this.decideAndSend(kind, exchange.port, position, leg, legLog);
      const result =
        step.kind === 'send'
          ? await decideAndSend()
          : await this.legs.settle(exchange.port, leg, this.ctx.settings.verification, legLog, decideAndSend);
      if (result) await this.record(kind, leg, await this.outcome(leg, result));
      legs = await this.ctx.ledger.list(position.id, kind, attempt);
    }
  }

  /** Cross-checks the exchange position, then sends (or deliberately skips) one unwind leg. */
  private async decideAndSend(
    kind: UnwindKind,
    exchange: ExchangePort,
    owner: PositionRecord,
    leg: OrderRecord,
    log: Logger,
  ): Promise<LegResult | null> {
    const exposure = positionSlot(await this.legs.read(() => exchange.positions([leg.symbol]), 'position list'), leg.symbol, leg.hedgeSide);
    const others = othersExpectation(await this.scans.accountPositions(owner.accountId, new Date(), 0), owner.id, leg);
    const decision = decideUnwindLeg({ symbol: leg.symbol, side: oppositeSide(leg.side), quantity: leg.quantity }, exposure, others);
    log.info(
      { exchangePosition: `${exposure.side} ${exposure.size}`, signed: signedSize(exposure).toString(), others, decision },
      `${kind} leg decided`,
    );
    if (decision.action === 'wait')
      throw new TransientExecutionError(unwindFailureCode(kind, 'POSITION_LIST_CONTRADICTS'), decision.reason);
    if (decision.action !== 'refuse' && decision.shortfall) await this.alertShortfall(kind, owner, leg, decision.shortfall);
    if (decision.action === 'refuse' || decision.action === 'skip') {
      await this.ctx.ledger.markSkipped(leg.id, decision.outcome, decision.reason);
      await this.record(kind, leg, decision.outcome);
      return null;
    }
    if (decision.side !== leg.side) {
      // Cannot happen (the plan derives the side the same way); refuse rather than send a guess.
      throw new Error(`internal: ${kind} side ${leg.side} disagrees with decided side ${decision.side}`);
    }
    if (decision.quantity !== leg.quantity) {
      await this.ctx.ledger.adjustPlannedQuantity(leg.id, decision.quantity);
      leg.quantity = decision.quantity;
    }
    return this.legs.send(exchange, leg, this.ctx.settings.verification, log);
  }

  /**
   * The exchange holds less than this leg and the account's other positions expect together: the
   * unwind took only what is left for this leg, and says so naming every position involved. Who
   * reduced it is not known from a position list, so the text does not guess ("by hand").
   */
  private async alertShortfall(kind: UnwindKind, position: PositionRecord, leg: OrderRecord, s: UnwindShortfall): Promise<void> {
    const others = s.others.map((o) => `${o.positionId} (${o.quantity})`).join(', ');
    await this.ctx.relay.enqueue(
      this.ctx.alerts.build({
        kind: `${kind}.shortfall`,
        severity: 'critical',
        summary:
          `The ${kind} of position ${position.id}, ${leg.symbol}${leg.hedgeSide ? ` ${leg.hedgeSide} side` : ''}: it recorded ${s.recorded} but the exchange holds ${s.exchangeSize}, ` +
          `of which positions ${others} expect their part; only ${s.available} is sent. ${position.id} and ${others} together hold less than they recorded: ` +
          "check the account's executions to see what reduced it.",
        positionId: position.id,
        accountId: position.accountId,
        details: {
          symbol: leg.symbol,
          hedgeSide: leg.hedgeSide,
          recorded: s.recorded,
          available: s.available,
          exchangeSize: s.exchangeSize,
          others: s.others,
        },
        dedupeKey: leg.orderLinkId,
      }),
    );
  }

  /**
   * A reduce-only order the exchange refused because nothing is left to reduce (classified by
   * libs/exchange: `isNothingToReduce`) means the leg was already flat — the exchange's own word.
   */
  private async outcome(leg: OrderRecord, result: LegResult): Promise<UnwindOutcome> {
    if (result !== 'rejected') return outcomeOf(result);
    const settled = (await this.ctx.ledger.list(leg.positionId, leg.purpose, leg.attempt)).find((l) => l.id === leg.id);
    return isNothingToReduce(settled?.rejectExchange) ? 'already_flat' : 'failed';
  }

  private async record(kind: UnwindKind, leg: OrderRecord, outcome: UnwindOutcome): Promise<void> {
    await this.ctx.ledger.recordUnwindOutcome(leg.id, outcome);
    (kind === 'close' ? this.ctx.metrics.closeOutcomes : this.ctx.metrics.rollbackOutcomes).inc({ outcome });
  }

  /** What the position holds: components for a close; settled, filled open legs for a rollback. */
  private async held(kind: UnwindKind, position: PositionRecord, exchange: ExchangePort, log: Logger) {
    if (kind === 'close') {
      return (await this.ctx.positions.components(position.id)).map((c) => ({
        legIndex: c.legIndex,
        symbol: c.symbol,
        side: c.side,
        quantity: c.expectedQuantity,
      }));
    }
    const open = await this.ctx.ledger.list(position.id, 'open', 0);
    for (const leg of open.filter((l) => l.status === 'SUBMITTED' || l.status === 'UNCONFIRMED')) {
      // Settle what the open left unknown, but never (re)send an open order during a rollback.
      await this.legs.settle(exchange, leg, this.ctx.settings.verification, log, async () => {
        throw new TransientExecutionError('ROLLBACK.OPEN_LEG_UNSETTLED', `open leg ${leg.orderLinkId} has no trace on the exchange yet`);
      });
    }
    const settled = await this.ctx.ledger.list(position.id, 'open', 0);
    return settled
      .filter((l) => l.status === 'FILLED')
      .map((l) => ({ legIndex: l.legIndex, symbol: l.symbol, side: l.side, quantity: l.filledQuantity }));
  }

  private unwindOrder(
    position: PositionRecord,
    kind: UnwindKind,
    attempt: number,
    held: { legIndex: number; symbol: string; side: 'buy' | 'sell'; quantity: string },
  ): PlannedOrder {
    return {
      legIndex: held.legIndex,
      orderLinkId: encodeOrderLinkId({ ownerId: position.id, purpose: kind, attempt, legIndex: held.legIndex }),
      symbol: held.symbol,
      side: oppositeSide(held.side),
      quantity: held.quantity,
      reduceOnly: true,
      plannedMarkPrice: null,
      hedgeSide: hedgeSideOfOrder(position.positionMode, oppositeSide(held.side), true),
    };
  }

  /** Settles the position from its legs' outcomes, with one alert per leg that did not simply close. */
  private async finish(
    kind: UnwindKind,
    position: PositionRecord,
    attempt: number,
    lease: Lease,
    legs: OrderRecord[],
    log: Logger,
    failure?: string,
  ): Promise<string> {
    const s = STATUSES[kind];
    const troubled = legs.filter((l) => l.unwindOutcome !== 'closed' && l.unwindOutcome !== 'already_flat');
    const alerts: OutboxMessage[] = legs
      .filter((l) => l.unwindOutcome && l.unwindOutcome !== 'closed')
      .map((l) =>
        this.ctx.alerts.build({
          kind: `${kind}.${l.unwindOutcome}`,
          severity: l.unwindOutcome === 'already_flat' ? 'warning' : 'critical',
          summary: alertSummary(kind, position, l),
          positionId: position.id,
          accountId: position.accountId,
          details: { symbol: l.symbol, side: l.side, quantity: l.quantity, orderLinkId: l.orderLinkId, outcome: l.unwindOutcome },
          dedupeKey: l.orderLinkId,
        }),
      );
    const incomplete = failure ?? (troubled.some((l) => l.unwindOutcome !== 'still_open') ? describe(troubled) : null);
    if (incomplete && alerts.length === 0) {
      // Nothing leg-specific to say (the account could not be used): the give-up itself is alerted.
      alerts.push(
        this.ctx.alerts.build({
          kind: `${kind}.incomplete`,
          severity: 'critical',
          summary: `The ${kind} of position ${position.id} did not finish (${incomplete}); it is back to ${s.back} and its exposure may still be held. Retry the ${kind}.`,
          positionId: position.id,
          accountId: position.accountId,
          details: { reason: incomplete },
          dedupeKey: `${position.id}:${kind}:${attempt}:incomplete`,
        }),
      );
    }
    const to = incomplete ? s.back : s.done;
    const reason = incomplete
      ? `${kind} incomplete: ${incomplete}`
      : `${kind === 'close' ? 'closed' : 'rolled back'}: ${legs.length} legs (${legs.map((l) => `${l.symbol} ${l.unwindOutcome ?? 'none'}`).join(', ') || 'nothing held'})`;
    await this.ctx.positions.settle(
      position.id,
      to,
      reason,
      lease.owner,
      alerts,
      incomplete ? { failureCode: unwindFailureCode(kind, 'INCOMPLETE'), failureReason: reason } : {},
    );
    if (alerts.length > 0) this.ctx.relay.kick();
    log.info({ from: s.working, to, reason }, `${kind} settled`);
    return to;
  }
}

function outcomeOf(result: LegResult): UnwindOutcome {
  switch (result) {
    case 'filled_visible':
      return 'closed';
    case 'filled_not_visible':
    case 'filled_then_closed':
      return 'still_open';
    case 'rejected':
    case 'not_filled':
      return 'failed';
  }
}

function describe(legs: OrderRecord[]): string {
  return legs.map((l) => `${l.symbol} ${l.unwindOutcome ?? 'unsettled'}${l.rejectReason ? ` (${l.rejectReason})` : ''}`).join('; ');
}

function alertSummary(kind: UnwindKind, position: PositionRecord, leg: OrderRecord): string {
  const what = `${kind} of position ${position.id}, ${leg.symbol} (${leg.side} ${leg.quantity} reduce-only, orderLinkId ${leg.orderLinkId})`;
  switch (leg.unwindOutcome) {
    case 'side_mismatch':
      return `${what}: NOTHING SENT — ${leg.rejectReason}. Check the account on the exchange; exposure may be untracked.`;
    case 'already_flat':
      return `${what}: nothing of this position was left to close on the exchange (${leg.rejectReason ?? 'the exchange refused the reduce-only order'}); check the account's executions to see what reduced it.`;
    case 'still_open':
      return `${what}: the order filled but the exchange position has not been seen to fall; verify the position on the exchange.`;
    default:
      return `${what}: the order failed (${leg.rejectCode ?? ''} ${leg.rejectReason ?? ''}); the exposure is still held.`;
  }
}
