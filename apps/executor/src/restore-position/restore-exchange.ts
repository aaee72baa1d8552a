import { restorePlanDrift, slotKey, type SlotDrift } from '@legwork/domain';
import { ExchangePort, PositionView, signedSize } from '@legwork/exchange';
import { AccountExchangeConnector } from '@legwork/exchange-accounts';
import { RequestRefusedError } from '../errors/request-refused-error';
import { keyRefusedReason } from '../position-work/account-exchanges';

/** Slot key (`slotKey`) → the exchange's signed size in that slot (long +, short −), from its position list. */
export function signedBySlot(reports: readonly PositionView[]): Map<string, string> {
  return new Map(reports.map((r) => [slotKey(r.symbol, r.hedgeSide), signedSize(r).toString()]));
}

/**
 * The slots of a restore plan's snapshot that moved on the exchange since (see `restorePlanDrift`).
 * Source: the account's position list now (`GET /v5/position/list`) for the position's symbols.
 */
export async function exchangeDrift(
  exchange: ExchangePort,
  symbols: readonly string[],
  snapshot: Record<string, string>,
): Promise<SlotDrift[]> {
  return restorePlanDrift(snapshot, signedBySlot(await exchange.positions([...symbols])));
}

/**
 * The exchange port of the account a request is about.
 * @throws RequestRefusedError `ACCOUNT.NOT_FOUND` | `ACCOUNT.KEY_REFUSED`; ExchangeUnavailableError when markets cannot load
 */
export async function requestExchange(accounts: AccountExchangeConnector, accountId: string): Promise<ExchangePort> {
  const connection = await accounts.connect(accountId);
  if (connection.kind === 'connected') return connection.port;
  if (connection.kind === 'not_found') throw new RequestRefusedError('ACCOUNT.NOT_FOUND', `account ${accountId} not found`);
  throw new RequestRefusedError('ACCOUNT.KEY_REFUSED', keyRefusedReason(connection));
}
