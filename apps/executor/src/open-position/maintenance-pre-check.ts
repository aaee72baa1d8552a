import { maintenanceInForce, MaintenanceWindow } from '@legwork/exchange';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * Refuses a basket, before its first order, while the exchange is in a maintenance window that
 * stops perpetual trading (issue 16; GET /v5/system/status, docs/v5/system-status.mdx).
 *
 * Refused, not retried: a window lasts from minutes to hours, longer than the retry schedule
 * (60 s, 300 s, 900 s by default), and a market basket placed after it would trade at prices the
 * user never saw. The reason names the window and its expected end, so the user opens the basket
 * again once trading is back. A symbol that is itself not trading is refused by composition
 * (`COMPOSITION.INSTRUMENT_NOT_TRADING`); an order refused mid-basket because trading paused
 * (110063, 110066) is `EXCHANGE.MAINTENANCE`, transient, and retried (exchange-outcome.ts).
 *
 * @param windows the status read (startPreCheckReads); awaiting it throws TransientExecutionError
 *   when the status cannot be read (never read as "no maintenance")
 * @returns the failure to record (`EXCHANGE.MAINTENANCE`), or null when no window is in force.
 */
export async function checkExchangeMaintenance(
  windows: Promise<readonly MaintenanceWindow[]>,
  now: () => Date = () => new Date(),
): Promise<ExecutionFailure | null> {
  const window = maintenanceInForce(await windows, now());
  if (!window) return null;
  return {
    code: 'EXCHANGE.MAINTENANCE',
    reason:
      `the exchange is in maintenance "${window.title}" (${window.state}, ${window.beginsAt.toISOString()} until ${window.endsAt.toISOString()}` +
      `${window.url ? `, ${window.url}` : ''}); no order was sent. Open the basket again after ${window.endsAt.toISOString()}`,
  };
}
