import { decideUnwindLeg, oppositeSide, OthersExpectation, UnwindDecision } from '@legwork/domain';
import type { PositionView } from '@legwork/exchange';
import type { AccountPosition, OrderRecord } from '@legwork/persistence';
import { othersExpectation } from './others-expectation';

/** The three reads one unwind decision rests on (the exchange's slot, the ledger twice). */
export interface UnwindReads {
  /** The exchange position of the leg's slot (Bybit `/v5/position/list`, with `updatedTime`). */
  exchangePosition(): Promise<PositionView>;
  /** The account's positions and what each holds now (the ledger). */
  accountPositions(): Promise<AccountPosition[]>;
  /** The exchange time of the account's latest recorded fill in the leg's slot (null: none). */
  latestFillAt(): Promise<Date | null>;
}

export interface UnwindView {
  exposure: PositionView;
  others: OthersExpectation;
  decision: UnwindDecision;
}

/**
 * Reads what one unwind leg is decided on and decides it (`decideUnwindLeg`), in the one order
 * that makes the reads agree: the exchange list first, then what the other positions hold, then
 * the latest fill. Every fill the others are counted with was committed before the latest-fill
 * read began, so the latest fill is at least as new as each of them, and a list read before any
 * of them is older than it: the decision waits instead of trusting that list.
 *
 * Why the order matters (soak seed 669970778): the latest fill was read before the positions; a
 * neighbouring basket's DOGE fill was recorded between the two reads, so the others counted its
 * 2,539 DOGE while the latest fill and the list (read before that fill) did not know it — the list
 * looked new enough, the close found nothing left for its own 1,206 DOGE and skipped it as
 * `already_flat`, and the position was CLOSED with its DOGE still on the exchange, untracked.
 * @throws what a read throws
 */
export async function readAndDecideUnwind(leg: OrderRecord, ownerId: string, reads: UnwindReads): Promise<UnwindView> {
  const exposure = await reads.exchangePosition();
  const others = othersExpectation(await reads.accountPositions(), ownerId, leg);
  const latestFillAtMs = (await reads.latestFillAt())?.getTime() ?? null;
  const held = { symbol: leg.symbol, side: oppositeSide(leg.side), quantity: leg.quantity };
  return { exposure, others, decision: decideUnwindLeg(held, exposure, others, latestFillAtMs) };
}
