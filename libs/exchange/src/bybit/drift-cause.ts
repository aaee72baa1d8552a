/**
 * Why the exchange moved a position without Legwork, as far as one execution row tells:
 * - `manual_close`: the user closed it from the Bybit app's position area (`createType`
 *   `CreateByClosing`);
 * - `liquidation`: the exchange liquidated it (`execType` `BustTrade`, or an order `CreateByLiq`);
 * - `adl`: auto-deleveraging (`execType` `AdlTrade`, or an order `CreateByAdl_PassThrough`);
 * - `delivery`: the contract was delivered or settled (`Delivery`, `Settle`, `SessionSettlePnL`);
 * - `trade`: an order that is not Legwork's filled (a manual trade by API or app, another bot).
 * Sources: docs/v5/enum.mdx#exectype and #createtype (../shared/notes/bybit-batch-streams-and-peers.md).
 */
export const DRIFT_CAUSES = ['manual_close', 'liquidation', 'adl', 'delivery', 'trade'] as const;
export type DriftCause = (typeof DRIFT_CAUSES)[number];

/**
 * The drift cause of one Bybit execution row from its `execType` and `createType` (both strings
 * as Bybit sends them; `createType` may be empty: REST rows of older accounts, the exchange's own
 * executions). Null for a row that moves no position: `Funding` (a settlement on a held position,
 * never a fill — nautilus_trader#4937), or an `execType` Legwork does not read (the mapping drops
 * it too; a position it moved is a drift the scans flag from the position list).
 */
export function driftCauseFromBybit(execType: string, createType: string): DriftCause | null {
  if (execType === 'BustTrade' || createType === 'CreateByLiq') return 'liquidation';
  if (execType === 'AdlTrade' || createType.startsWith('CreateByAdl')) return 'adl';
  if (execType === 'Delivery' || execType === 'Settle' || execType === 'SessionSettlePnL') return 'delivery';
  if (execType !== 'Trade') return null;
  return createType === 'CreateByClosing' ? 'manual_close' : 'trade';
}

const DESCRIPTIONS: Record<DriftCause, string> = {
  manual_close: 'closed by hand in the Bybit app',
  liquidation: 'liquidated by the exchange',
  adl: 'auto-deleveraged by the exchange',
  delivery: 'delivered or settled by the exchange',
  trade: 'traded by an order that is not Legwork’s',
};

/** True when `value` (e.g. read from a message) is one of {@link DRIFT_CAUSES}. */
export function isDriftCause(value: string): value is DriftCause {
  return (DRIFT_CAUSES as readonly string[]).includes(value);
}

/** The words an alert or a deviation uses for `cause` ("liquidated by the exchange"). */
export function describeDriftCause(cause: DriftCause): string {
  return DESCRIPTIONS[cause];
}
