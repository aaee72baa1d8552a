import type { BybitClientFactory, ExchangePort } from '@legwork/exchange';
import type { IdentityRepository } from '@legwork/persistence';

/**
 * What scans may ask the exchange. Deliberately without `placeMarketOrder`: reconciliation and
 * orphan detection never trade — the only trades come from a user's request.
 */
export type ExchangeReader = Pick<ExchangePort, 'positions' | 'executions' | 'findOrder' | 'markPrices'>;

/**
 * A read-only exchange client for one account, its secret decrypted just before use.
 * @throws Error when the account does not exist; ExchangeUnavailableError when markets cannot load
 */
export async function readerFor(identity: IdentityRepository, factory: BybitClientFactory, accountId: string): Promise<ExchangeReader> {
  const account = await identity.findAccount(accountId);
  if (!account) throw new Error(`exchange account ${accountId} does not exist`);
  return factory.connect({ accountId: account.id, apiKey: account.apiKey, apiSecret: identity.revealSecret(account) });
}
