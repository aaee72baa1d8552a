import { positionModeMismatches } from '@legwork/domain';
import { positionModesOf, type PositionView } from '@legwork/exchange';
import type { PositionRecord } from '@legwork/persistence';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * Re-checks, before a basket's first order, that the account's position mode in every symbol of
 * the basket is still the one the position was accepted under (issue 11: the mode is stored when
 * the account is added and may be switched in the Bybit app afterwards).
 * @param rows every row of the basket's symbols (`ExchangePort.positionsBySymbol`, read once per
 *   basket and shared with the leverage pre-check)
 * @returns the failure to record (`ACCOUNT.POSITION_MODE_CHANGED`), or null when the mode agrees.
 */
export function checkPositionMode(
  position: PositionRecord,
  symbols: readonly string[],
  rows: readonly PositionView[],
): ExecutionFailure | null {
  const modes = positionModesOf(rows);
  const changed = positionModeMismatches(position.positionMode, symbols, modes);
  if (changed.length === 0) return null;
  const found = changed.map((s) => `${s} ${modes.get(s) ?? 'unknown'}`).join(', ');
  return {
    code: 'ACCOUNT.POSITION_MODE_CHANGED',
    reason: `the account is recorded in ${position.positionMode} mode but the exchange shows ${found}; no order was sent. Re-add the account (account:add) once its mode is settled`,
  };
}
