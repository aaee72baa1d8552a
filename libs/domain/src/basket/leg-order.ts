import type { LegSide } from '../composition/compose-basket';
import type { UnwindOutcome } from '../unwind/unwind-leg';
import { BasketPolicy, OPEN_BASKET_POLICY } from './basket-policy';

/** Why an order was sent: each purpose has its own deterministic `orderLinkId` family. */
export type OrderPurpose = 'open' | 'close' | 'rollback' | 'restore';

/**
 * What Legwork knows about one leg's order. The ledger row is written (`PLANNED`) before the
 * order exists anywhere, moved to `SUBMITTED` before the request leaves, and settled from what the
 * exchange says — never from the absence of an answer.
 *
 * - `PLANNED`     decided, never sent: safe to send.
 * - `SUBMITTED`   a request may have reached the exchange: settle by `orderLinkId` before any resend.
 * - `FILLED`      fills confirmed (quantity and average price recorded).
 * - `REJECTED`    the exchange definitively refused it, or it ended with zero fill.
 * - `UNCONFIRMED` verification timed out with no definitive answer; reconciliation settles it.
 * - `SKIPPED`     an unwind leg deliberately not sent (nothing left to close, or the exchange
 *                 position is on the other side): see `decideUnwindLeg`.
 */
export type LegOrderStatus = 'PLANNED' | 'SUBMITTED' | 'FILLED' | 'REJECTED' | 'UNCONFIRMED' | 'SKIPPED';

/** The part of a ledger row the basket logic needs. Quantities are decimal strings. */
export interface LegOrderState {
  legIndex: number;
  symbol: string;
  side: LegSide;
  quantity: string;
  status: LegOrderStatus;
  orderLinkId: string;
  /** For a close / rollback leg: how its unwind ended, once recorded (see {@link BasketPolicy.outcomePerLeg}). */
  unwindOutcome?: UnwindOutcome | null;
}

/**
 * What to do next with a basket, given its ledger: send a planned leg, settle one whose outcome is
 * not known (or, under an outcome-per-leg policy, a filled one whose outcome is not recorded),
 * record the outcome of a rejected leg that has none, halt at a rejected leg, or finish.
 */
export type BasketStep<L extends LegOrderState = LegOrderState> =
  { kind: 'send'; leg: L } | { kind: 'settle'; leg: L } | { kind: 'record'; leg: L } | { kind: 'halt'; leg: L } | { kind: 'complete' };

/**
 * Decides the next step of a basket from its ledger, so a redelivered or resumed command picks up
 * exactly where the last attempt stopped: filled and skipped legs are done, a leg whose outcome is
 * unknown is settled before anything else is sent, and a rejected leg halts the basket (no later
 * leg is sent; earlier fills stay — "halt, don't reverse", seed 000) unless the policy continues
 * past it. Under an outcome-per-leg policy a settled leg without its outcome comes first again.
 *
 * Legs are taken in `legIndex` order; the input order does not matter. The step names the leg
 * object it was given.
 */
export function nextBasketStep<L extends LegOrderState>(legs: readonly L[], policy: BasketPolicy = OPEN_BASKET_POLICY): BasketStep<L> {
  const ordered = [...legs].sort((a, b) => a.legIndex - b.legIndex);
  for (const leg of ordered) {
    const outcomeMissing = policy.outcomePerLeg && !leg.unwindOutcome;
    switch (leg.status) {
      case 'SKIPPED':
        continue;
      case 'FILLED':
        if (outcomeMissing) return { kind: 'settle', leg };
        continue;
      case 'REJECTED':
        if (outcomeMissing) return { kind: 'record', leg };
        if (policy.onRejected === 'continue') continue;
        return { kind: 'halt', leg };
      case 'SUBMITTED':
      case 'UNCONFIRMED':
        return { kind: 'settle', leg };
      case 'PLANNED':
        return { kind: 'send', leg };
    }
  }
  return { kind: 'complete' };
}

/** The side that reduces a position opened on `side` (close, rollback). */
export function oppositeSide(side: LegSide): LegSide {
  return side === 'buy' ? 'sell' : 'buy';
}
