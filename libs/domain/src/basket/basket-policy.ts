/**
 * How one basket treats its legs: one runner works open, close, rollback and restore baskets
 * (issue 12), each with its policy. Pure data; {@link nextBasketStep} applies it.
 */
export interface BasketPolicy {
  /**
   * `halt`: a definitively rejected leg stops the basket; no later leg is sent and earlier fills
   * stay ("halt, don't reverse", seed 000). `continue`: the other legs are still worked, because
   * they are independent of one another (unwind legs, restore trades).
   */
  readonly onRejected: 'halt' | 'continue';
  /**
   * A leg counts as done only once its own outcome is recorded (an unwind leg: did the exchange
   * position fall?). A crash between settling a leg and recording its outcome leaves a settled leg
   * without one: a filled leg is then settled again by `orderLinkId` (its fills are kept once),
   * and a rejected leg gets its outcome from its recorded refusal.
   */
  readonly outcomePerLeg: boolean;
}

/** Open: the basket halts at the first rejected leg (seed 000). */
export const OPEN_BASKET_POLICY: BasketPolicy = { onRejected: 'halt', outcomePerLeg: false };

/** Close and rollback: every held leg is unwound whatever another leg did; each leg's unwind outcome is recorded. */
export const UNWIND_BASKET_POLICY: BasketPolicy = { onRejected: 'continue', outcomePerLeg: true };

/** Restore: a failed correction does not stop the others; the plan reports it. */
export const RESTORE_BASKET_POLICY: BasketPolicy = { onRejected: 'continue', outcomePerLeg: false };
