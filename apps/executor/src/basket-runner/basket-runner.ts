import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { BasketPolicy, nextBasketStep, OrderPurpose } from '@legwork/domain';
import type { ExchangePort } from '@legwork/exchange';
import type { OrderRecord } from '@legwork/persistence';
import { LegConfirmation, LegExecutor, LegResult } from '../leg-execution/leg-executor';
import { ExecutorContext } from '../position-work/executor-context';
import type { Lease } from '../position-work/position-lease';

/** One basket's planned ledger and how to work it. */
export interface Basket {
  positionId: string;
  purpose: OrderPurpose;
  attempt: number;
  /** The basket's ledger rows as last read (planned before this run, or left by an earlier one). */
  legs: OrderRecord[];
  policy: BasketPolicy;
  exchange: ExchangePort;
  /** The position's lease; renewed before each leg is worked. */
  lease: Lease;
  /**
   * Sends one leg, or decides not to (`null`: the use case recorded why, e.g. an unwind leg with
   * nothing left to close). Also what happens when a leg to settle has no trace on the exchange.
   * Default: the leg executor sends the planned order with its `orderLinkId`.
   */
  send?: (leg: OrderRecord, log: Logger) => Promise<LegResult | null>;
  /** How a leg found on the exchange by `orderLinkId` is confirmed (LegExecutor.settle); default the three sources. */
  confirmation?: LegConfirmation;
  /** Records what a worked leg came to; required by a policy with an outcome per leg. */
  recordOutcome?: (leg: OrderRecord, result: LegResult) => Promise<void>;
}

/** How a basket run ended: every leg worked (`complete`), or halted at a rejected leg by the policy. */
export type BasketEnd = { kind: 'complete'; legs: OrderRecord[] } | { kind: 'halted'; leg: OrderRecord; legs: OrderRecord[] };

/**
 * Works a planned basket to its end, one leg at a time, for every purpose (open, close, rollback,
 * restore): the next leg comes from the ledger ({@link nextBasketStep} under the basket's policy),
 * so a redelivered or resumed command continues exactly where the last attempt stopped.
 *
 * Invariant: the plan (legs, quantities, `orderLinkId`s) is in the ledger before this runs and is
 * never recomputed here; a leg whose outcome is not known is settled by `orderLinkId` before
 * anything is sent again (LegExecutor.settle). The lease is renewed before each leg (the first
 * before it, each next one with the ledger read after the previous leg): a lost lease throws
 * LeaseLostError, which stops the work (PositionLease.run).
 * @throws TransientExecutionError when the exchange cannot answer or a leg's outcome is unknown.
 */
@Injectable()
export class BasketRunner {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly legs: LegExecutor,
  ) {}

  async run(basket: Basket, log: Logger): Promise<BasketEnd> {
    const { exchange, policy, recordOutcome } = basket;
    if (policy.outcomePerLeg && !recordOutcome) throw new Error('internal: a basket with an outcome per leg needs recordOutcome');
    let legs = basket.legs;
    let renewed = false;
    for (;;) {
      const step = nextBasketStep(legs, policy);
      if (step.kind === 'complete') return { kind: 'complete', legs };
      if (step.kind === 'halt') return { kind: 'halted', leg: step.leg, legs };
      const leg = step.leg;
      if (step.kind === 'record') {
        await recordOutcome?.(leg, 'rejected');
      } else {
        if (!renewed) await basket.lease.renew();
        const legLog = log.child({ orderLinkId: leg.orderLinkId, legIndex: leg.legIndex });
        const send = () => (basket.send ? basket.send(leg, legLog) : this.legs.send(exchange, leg, this.ctx.settings.verification, legLog));
        const result =
          step.kind === 'send'
            ? await send()
            : await this.legs.settle(exchange, leg, this.ctx.settings.verification, legLog, send, basket.confirmation);
        if (result !== null) await recordOutcome?.(leg, result);
      }
      // The next leg's lease renewal is part of the ledger read that picks it (one statement between
      // legs): the lease is still renewed after the last leg ended and before the next one is worked.
      ({ legs } = await basket.lease.renewWithin((lease) =>
        this.ctx.ledger.listRenewingLease(basket.positionId, basket.purpose, basket.attempt, lease),
      ));
      renewed = true;
    }
  }
}
