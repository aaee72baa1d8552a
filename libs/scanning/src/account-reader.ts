import { BybitClientFactory, ExchangeErrorCode, ExchangePort, ExchangeRequestRefusedError } from '@legwork/exchange';
import { AccountExchangeConnector } from '@legwork/exchange-accounts';
import type { AlertFactory } from '@legwork/messaging';
import type { IdentityRepository } from '@legwork/persistence';

/**
 * What scans may ask the exchange. Deliberately without `placeMarketOrder`: reconciliation and
 * orphan detection never trade — the only trades come from a user's request.
 */
export type ExchangeReader = Pick<ExchangePort, 'positions' | 'executions' | 'findOrder' | 'markPrices'>;

/**
 * A read-only exchange client for one account, its secret decrypted just before use (whatever
 * its key status: benchmarks and tools; scans go through {@link scanWithAccountKey}). Made by
 * the one account → client factory, `AccountExchangeConnector` (@legwork/exchange-accounts).
 * @throws Error when the account does not exist; ExchangeUnavailableError when markets cannot load
 */
export async function readerFor(identity: IdentityRepository, factory: BybitClientFactory, accountId: string): Promise<ExchangeReader> {
  const connection = await new AccountExchangeConnector(identity, factory).connect(accountId, { evenIfKeyRefused: true });
  if (connection.kind !== 'connected') throw new Error(`exchange account ${accountId} does not exist`);
  return connection.port;
}

/** A scan that ran, or an account skipped because the exchange refused its API key. */
export type KeyCheckedScan<T> = { kind: 'scanned'; result: T } | { kind: 'skipped'; reason: string; newlyRefused: boolean };

/** The port's code for an authentication or permission refusal (Bybit 10003, 10004, 10005, …). */
const AUTH_REFUSED: ExchangeErrorCode = 'EXCHANGE.AUTH';

/**
 * Runs `scan` with a read-only exchange client for one account, its secret decrypted just before
 * use — unless the account's key is marked refused, then nothing is asked of the exchange.
 *
 * Why: a key the exchange refuses (revoked, expired, deleted on Bybit) does not come back by
 * retrying; retrying every scan forever only fails every scan. The first auth refusal marks the
 * account (`key_status = refused`) and alerts its owner once (`account.key_refused`, in the same
 * transaction); scans skip it until `account:rotate-key` stores a key the exchange accepts.
 *
 * @throws Error when the account does not exist; ExchangeUnavailableError (transient) and other
 *   ExchangeRequestRefusedErrors from `scan`, unchanged.
 */
export async function scanWithAccountKey<T>(
  deps: { identity: IdentityRepository; factory: BybitClientFactory; alerts: AlertFactory },
  accountId: string,
  scan: (reader: ExchangeReader) => Promise<T>,
): Promise<KeyCheckedScan<T>> {
  const connection = await new AccountExchangeConnector(deps.identity, deps.factory).connect(accountId);
  if (connection.kind === 'not_found') throw new Error(`exchange account ${accountId} does not exist`);
  if (connection.kind === 'key_refused') {
    return { kind: 'skipped', reason: keyRefusedReason(connection.code, connection.since), newlyRefused: false };
  }
  try {
    return { kind: 'scanned', result: await scan(connection.port) };
  } catch (error) {
    if (!(error instanceof ExchangeRequestRefusedError) || error.code !== AUTH_REFUSED) throw error;
    const refusal = { code: error.code, reason: error.message };
    const refusedAt = new Date();
    const newlyRefused = await deps.identity.markKeyRefused(
      accountId,
      refusal,
      refusedAt,
      deps.alerts.build({
        kind: 'account.key_refused',
        severity: 'critical',
        summary: `The exchange refused the API key of account ${accountId} (${error.message.slice(0, 160)}): its positions and orphans are not scanned until the key is replaced (account:rotate-key)`,
        positionId: null,
        accountId,
        details: { userId: connection.userId, code: error.code, refusedAt: refusedAt.toISOString() },
        dedupeKey: `${accountId}:${refusedAt.toISOString()}`,
      }),
    );
    const after = await deps.identity.findAccount(accountId);
    return {
      kind: 'skipped',
      reason: keyRefusedReason(after?.keyRefusedCode ?? error.code, after?.keyRefusedAt ?? new Date()),
      newlyRefused,
    };
  }
}

function keyRefusedReason(code: string | null, since: Date | null): string {
  return `API key refused by the exchange (${code ?? AUTH_REFUSED}) since ${since?.toISOString() ?? 'unknown'}; replace it with account:rotate-key`;
}
