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

/** What one scan read of the account's funding, to record once its verdicts are written. */
export interface FundingRead {
  /** The symbols read (their cursors move to the scan's time when recorded). */
  symbols: string[];
  rows: ReturnType<typeof attributeFunding>;
  /** The rows' fingerprint to record as read: null when a held symbol was left out (in grace). */
  fingerprint: string | null;
}

/**
 * Funding settled on the exchange positions the account's positions hold, since the last read of
 * each symbol: one read of the account's funding executions (every symbol, `execType=Funding`),
 * each symbol's kept from its own cursor (funding only — never a fill, never in `trades`), split
 * among the positions that held it at each settlement (`attributeFunding`), one row per
 * (position, settlement). Symbols in grace (a position executing or closing there) are left for
 * the next scan, cursor unmoved: their holders are not settled yet. Skipped when the account's
 * position rows are what they were at the last full read (`fingerprint`, see `fundingFingerprint`:
 * no settlement since). Reads only: the scan records it with {@link recordFunding}. The read mark
 * is read while the position list is still on its way (`fingerprintRead` is awaited after it).
 * @param fingerprintRead the hash of this scan's position-list rows (`fundingFingerprint`), once read; null: read
 * @returns null when no symbol is to be read, or nothing can have settled since the last read.
 * @throws ExchangeUnavailableError when executions cannot be read (the scan fails; nothing is recorded).
 */
export async function readFunding(
  funding: FundingRepository,
  accountId: string,
  positions: readonly AccountPosition[],
  inGrace: (symbol: string) => boolean,
  exchange: Pick<ExchangeReader, 'executions'>,
  at: Date,
  fingerprintRead: Promise<string | null>,
): Promise<FundingRead | null> {
  const holders: FundingHolder[] = positions.flatMap((p) =>
    p.legs.map((l) => ({ positionId: p.id, symbol: l.symbol, side: l.side, quantity: l.quantity, heldSince: l.heldSince })),
  );
  const held = [...new Set(holders.map((h) => h.symbol))];
  const symbols = held.filter((s) => !inGrace(s)).sort();
  if (symbols.length === 0) return null;
  const state = await funding.readState(accountId, symbols);
  const fingerprint = await fingerprintRead;
  if (fingerprint !== null && state.fingerprint === fingerprint) return null;
  const cursors = state.cursors;
  const earliest = at.getTime() - EXECUTION_WINDOW_MS;
  const sinceBySymbol = new Map(
    symbols.map((symbol) => {
      const firstHeld = Math.min(...holders.filter((h) => h.symbol === symbol).map((h) => h.heldSince.getTime()));
      const from = cursors.get(symbol)?.getTime() ?? firstHeld;
      return [symbol, Math.max(from - READ_OVERLAP_MS, earliest)];
    }),
  );
  // One read for the account, every symbol, settlements only (not one per symbol: the scan's cost
  // is its exchange reads), each symbol's rows kept from its own cursor.
  const read = await exchange.executions(null, { since: new Date(Math.min(...sinceBySymbol.values())), execType: 'Funding' });
  const settlements: FundingSettlement[] = read
    .filter(isFundingSettlement)
    .filter((e) => e.executedAt.getTime() >= (sinceBySymbol.get(e.symbol) ?? Infinity))
    .map((e) => ({
      settlementId: e.execId,
      symbol: e.symbol,
      side: e.side,
      positionSize: e.quantity,
      feeUsdt: e.fee,
      fundingRate: e.feeRate,
      settledAt: e.executedAt,
    }));
  return { symbols, rows: attributeFunding(settlements, holders), fingerprint: symbols.length === held.length ? fingerprint : null };
}

/**
 * Records what {@link readFunding} read (one row per position and settlement, recorded once) and
 * moves the symbols' cursors to `at`.
 * @returns how many position-settlement rows were new (0 when nothing was read).
 */
export async function recordFunding(funding: FundingRepository, accountId: string, read: FundingRead | null, at: Date): Promise<number> {
  return read ? funding.record(accountId, read.rows, read.symbols, at, at, read.fingerprint) : 0;
}
