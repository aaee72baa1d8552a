import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { hedgeSideOfOrder, oppositeSide, UNWIND_BASKET_POLICY } from '@legwork/domain';
import { encodeOrderLinkId } from '@legwork/exchange';
import { PlannedOrder, PositionRecord } from '@legwork/persistence';
import { BasketRunner } from '../basket-runner/basket-runner';
import { AccountExchanges } from '../position-work/account-exchanges';
import { ExecutorContext } from '../position-work/executor-context';
import { Delivery, Lease, PositionLease } from '../position-work/position-lease';
import { UnwindLegs } from './unwind-legs';
import { UnwindSettlement } from './unwind-settlement';
import { type RecordedLeg, type UnwindKind, type UnwindSpec, UNWIND_STATUSES } from './unwind-spec';

/**
 * Unwinds a position (the shared part of ClosePosition and RollbackPosition): one reduce-only
 * market order per held leg, for exactly the recorded quantity (less if the exchange holds less),
 * on the side opposite to the RECORDED leg — cross-checked against the exchange position right
 * before sending (seed 004, UnwindLegs). Each leg's exposure must then be seen to fall. A side
 * mismatch or a failed leg sends nothing more for that leg and does not stop the others; the
 * position then returns to its `back` status with an alert (UnwindSettlement). Nothing is guessed.
 *
 * Invariant: the unwind legs and their `orderLinkId`s (from position, kind, attempt and leg) are
 * written before the first is sent; a redelivery resumes the same plan (BasketRunner).
 */
@Injectable()
export class UnwindBasket {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly lease: PositionLease,
    private readonly exchanges: AccountExchanges,
    private readonly baskets: BasketRunner,
    private readonly unwindLegs: UnwindLegs,
    private readonly settlement: UnwindSettlement,
  ) {}

  /** @returns the status the position settled in, or why nothing was done (`already_settled`, `duplicate`, `lease_lost`). */
  async execute(spec: UnwindSpec, positionId: string, attempt: number, delivery: Delivery, log: Logger): Promise<string> {
    const outcome = await this.lease.run(
      positionId,
      { working: UNWIND_STATUSES[spec.kind].working },
      delivery,
      log.child({ positionId }),
      (position, lease) =>
        this.run(spec, position, attempt, lease, log.child({ positionId, owner: lease.owner, kind: spec.kind, attempt })),
    );
    return outcome.kind === 'ran' ? outcome.result : outcome.kind;
  }

  private async run(spec: UnwindSpec, position: PositionRecord, attempt: number, lease: Lease, log: Logger): Promise<string> {
    const { kind } = spec;
    const exchange = await this.exchanges.forAccount(position.accountId);
    if ('failure' in exchange) return this.settlement.finish(spec, position, attempt, lease, [], log, exchange.failure.reason);
    let legs = await this.ctx.ledger.list(position.id, kind, attempt);
    if (legs.length === 0) {
      const held = await spec.held(position, exchange.port, log);
      if (held.length === 0) return this.settlement.finish(spec, position, attempt, lease, [], log);
      legs = await this.ctx.ledger.plan(
        position,
        kind,
        attempt,
        held.map((h) => unwindOrder(position, kind, attempt, h)),
      );
      log.info(
        { legs: legs.map((l) => ({ symbol: l.symbol, side: l.side, qty: l.quantity, orderLinkId: l.orderLinkId })) },
        `${kind} planned`,
      );
    }
    const end = await this.baskets.run(
      {
        positionId: position.id,
        purpose: kind,
        attempt,
        legs,
        policy: UNWIND_BASKET_POLICY,
        exchange: exchange.port,
        lease,
        send: (leg, legLog) => this.unwindLegs.decideAndSend(spec, exchange.port, position, leg, legLog),
        recordOutcome: (leg, result) => this.unwindLegs.recordResult(spec, leg, result),
      },
      log,
    );
    return this.settlement.finish(spec, position, attempt, lease, end.legs, log);
  }
}

/** The reduce-only order that unwinds one held leg: the opposite side, the recorded quantity. */
function unwindOrder(position: PositionRecord, kind: UnwindKind, attempt: number, held: RecordedLeg): PlannedOrder {
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
