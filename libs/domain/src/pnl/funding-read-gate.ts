import { compareText } from '../reconciliation/decimal-input';

/** One exchange position row as the funding gate reads it. Decimal strings as the exchange lists them. */
export interface FundingGateRow {
  symbol: string;
  /** The side of a hedge-mode account; null in one-way mode. */
  hedgeSide: 'long' | 'short' | null;
  side: 'long' | 'short' | 'flat';
  size: string;
  /** The exchange's cumulative realised P&L of the row (Bybit `cumRealisedPnl`); absent when not listed. */
  cumRealisedPnlUsdt?: string;
}

/**
 * The account's position rows in one canonical string: the same string on two reads means no fill
 * and no funding settlement touched any held position in between, so funding need not be read
 * again (issue 18: one funding read per account per scan was the reconciliation pass's second
 * exchange call).
 *
 * Why realised P&L: Bybit counts funding fees in a position's realised P&L ("Realized P&L
 * reflects the actual profit or loss recorded in your account, taking into account trading and
 * funding fees", Bybit Help Center, "P&L calculation FAQ"); a settlement therefore changes
 * `cumRealisedPnl` of the row it was charged on, and a position closed since drops its row.
 * A settlement of exactly zero changes nothing and has nothing to record.
 *
 * @returns the fingerprint, or null when a row lacks its realised P&L (nothing can be concluded:
 *   read funding).
 */
export function fundingFingerprint(rows: readonly FundingGateRow[]): string | null {
  if (rows.some((r) => r.cumRealisedPnlUsdt === undefined)) return null;
  return rows
    .map((r) => `${r.symbol}|${r.hedgeSide ?? ''}|${r.side}|${r.size}|${r.cumRealisedPnlUsdt ?? ''}`)
    .sort(compareText)
    .join(';');
}
