import type { ExchangePort } from './exchange.port';
import { ExchangeRequestRefusedError } from './exchange.port';
import type { ApiKeyErrorCode } from './exchange-error-codes';

/** Why a key was refused: a stable code and a sentence for the operator. */
export class ApiKeyRefusedError extends Error {
  constructor(
    readonly code: ApiKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyRefusedError';
  }
}

/**
 * Checks an API key against the exchange before Legwork stores it: it must authenticate, trade
 * contracts, and NOT be able to withdraw (Legwork needs trading only; a leaked key that can
 * withdraw is a loss of funds, one that can only trade is not).
 * @throws ApiKeyRefusedError; ExchangeUnavailableError when the exchange cannot answer
 */
export async function assertTradingOnlyKey(exchange: Pick<ExchangePort, 'apiKeyPermissions'>): Promise<void> {
  let permissions;
  try {
    permissions = await exchange.apiKeyPermissions();
  } catch (error) {
    if (error instanceof ExchangeRequestRefusedError)
      throw new ApiKeyRefusedError('ACCOUNT.KEY_INVALID', `the exchange refused the key: ${error.message}`);
    throw error;
  }
  if (permissions.canWithdraw)
    throw new ApiKeyRefusedError('ACCOUNT.KEY_CAN_WITHDRAW', 'this key can withdraw funds; create a key with trade permission only');
  if (permissions.readOnly) throw new ApiKeyRefusedError('ACCOUNT.KEY_READ_ONLY', 'this key is read-only; Legwork needs trade permission');
  if (!permissions.canTradeContracts)
    throw new ApiKeyRefusedError(
      'ACCOUNT.KEY_CANNOT_TRADE',
      'this key cannot trade USDT perpetuals (Contract/Derivatives trade permission)',
    );
}
