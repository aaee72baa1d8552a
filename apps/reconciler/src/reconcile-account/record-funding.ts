import { attributeFunding, FundingHolder, FundingSettlement } from '@legwork/domain';
import { isFundingSettlement } from '@legwork/exchange';
import type { AccountPosition, FundingRepository } from '@legwork/persistence';
import type { ExchangeReader } from '@legwork/scanning';

/**
 * Bybit's execution list answers at most 7 days from `startTime` ("Only startTime is passed,
 * return range between startTime and startTime+7 days", docs/v5/order/execution.mdx): a read
 * starts no earlier than this before the scan, or it would miss the most recent settlements.
 */
const EXECUTION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000 - 60_000;
/** Each read re-reads this much before the cursor: a settlement listed a moment late is still seen (recorded once). */
const READ_OVERLAP_MS = 5 * 60_000;

/**
 * Funding settled on the exchange positions the account's positions hold, since the last read of
 * each symbol: the symbol's executions since the cursor (funding only — never a fill, never in
 * `trades`), split among the positions that held it at each settlement (`attributeFunding`), one
 * row per (position, settlement). Symbols in grace (a position executing or closing there) are
 * left for the next scan, cursor unmoved: their holders are not settled yet.
 * @returns how many position-settlement rows were new.
 * @throws ExchangeUnavailableError when executions cannot be read (the scan fails; nothing is recorded).
 */
export async function recordFunding(
  funding: FundingRepository,
  accountId: string,
  positions: readonly AccountPosition[],
  inGrace: (symbol: string) => boolean,
  exchange: Pick<ExchangeReader, 'executions'>,
  at: Date,
): Promise<number> {
  const holders: FundingHolder[] = positions.flatMap((p) =>
    p.legs.map((l) => ({ positionId: p.id, symbol: l.symbol, side: l.side, quantity: l.quantity, heldSince: l.heldSince })),
  );
  const symbols = [...new Set(holders.map((h) => h.symbol))].filter((s) => !inGrace(s)).sort();
  if (symbols.length === 0) return 0;
  const cursors = await funding.cursors(accountId, symbols);
  const earliest = at.getTime() - EXECUTION_WINDOW_MS;
  const settlements: FundingSettlement[] = [];
  for (const symbol of symbols) {
    const firstHeld = Math.min(...holders.filter((h) => h.symbol === symbol).map((h) => h.heldSince.getTime()));
    const from = cursors.get(symbol)?.getTime() ?? firstHeld;
    const since = new Date(Math.max(from - READ_OVERLAP_MS, earliest));
    for (const e of (await exchange.executions(symbol, { since })).filter(isFundingSettlement)) {
      settlements.push({
        settlementId: e.execId,
        symbol,
        side: e.side,
        positionSize: e.quantity,
        feeUsdt: e.fee,
        fundingRate: e.feeRate,
        settledAt: e.executedAt,
      });
    }
  }
  return funding.record(accountId, attributeFunding(settlements, holders), symbols, at, at);
}
