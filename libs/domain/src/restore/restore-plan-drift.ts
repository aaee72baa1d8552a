import Decimal from 'decimal.js';

/** One slot whose exchange size moved since a restore plan's snapshot (signed decimal strings, base coin). */
export interface SlotDrift {
  /** Slot key (`slotKey`: the bare symbol on a one-way account, `BTCUSDT:long` on a hedge-mode one). */
  slot: string;
  then: string;
  now: string;
}

/**
 * The slots of a plan's exchange snapshot whose size differs now. A plan is made for the exchange
 * as the user saw it: if any of its slots moved (a manual trade, another plan's trades), its
 * trades would no longer bring the position back, so it must not run.
 * @param snapshot slot key → signed size when the plan was made
 * @param now slot key → the exchange's signed size now (absent = flat)
 * @returns the moved slots, in the snapshot's order; empty when the plan still matches
 */
export function restorePlanDrift(snapshot: Readonly<Record<string, string>>, now: ReadonlyMap<string, string>): SlotDrift[] {
  return Object.entries(snapshot)
    .filter(([slot, then]) => !new Decimal(now.get(slot) ?? 0).eq(then))
    .map(([slot, then]) => ({ slot, then, now: now.get(slot) ?? '0' }));
}

/** The refusal's sentence for a user: which slots moved, then → now, and what to do. */
export function describeRestorePlanDrift(drift: readonly SlotDrift[]): string {
  return `the exchange changed since this plan was made (${drift.map((d) => `${d.slot}: ${d.then} then, ${d.now} now`).join('; ')}); ask for a new plan`;
}
