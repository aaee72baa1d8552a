import { Injectable } from '@nestjs/common';
import { BybitClientFactory, ExchangePort } from '@legwork/exchange';
import { ExchangeAccountRecord, IdentityRepository } from '@legwork/persistence';
import type { KeptAccountPorts } from './kept-account-ports';

/**
 * What asking for an account's exchange client gave: the port, or why there is none. Callers
 * word the refusal in their own terms (an executor's `failure`, a scan's skip reason).
 * - `connected`: a port signed with the account's key (one client per unit of work, or one kept
 *   while the account trades: KeptAccountPorts).
 * - `not_found`: no exchange account with that id.
 * - `key_refused`: the exchange already refused this key (marked by a scan, `key_status =
 *   refused`); `code` is the refusal's code (`EXCHANGE.AUTH`) and `since` when it was marked,
 *   either null on a row marked before they were recorded.
 */
export type AccountConnection =
  | { kind: 'connected'; port: ExchangePort; userId: string }
  | { kind: 'not_found'; accountId: string }
  | { kind: 'key_refused'; accountId: string; code: string | null; since: Date | null };

/**
 * THE one place an account becomes an exchange client: it loads the account, refuses a key the
 * exchange already refused (a key that was revoked does not come back by retrying, so no request
 * is made with it), and decrypts the API secret only just before the client is made — the secret
 * is handed to the client and kept nowhere else. Used by the executor (trading, which keeps an
 * account's client while it trades) and the scans (reading, a client per scan); nothing else opens
 * an account's secret.
 */
@Injectable()
export class AccountExchangeConnector {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
  ) {}

  /**
   * The exchange port of `accountId`. With `evenIfKeyRefused` a refused key is still used
   * (benchmarks and tools that want the exchange's own answer); every service leaves it off. With
   * `kept`, the client kept for the account's current key is reused (the account is still read:
   * a key refused since is refused), and a new one is kept there.
   * @throws ExchangeUnavailableError when the exchange's markets cannot be loaded (transient)
   */
  async connect(accountId: string, options: { evenIfKeyRefused?: boolean; kept?: KeptAccountPorts } = {}): Promise<AccountConnection> {
    const account = await this.identity.findAccount(accountId);
    if (!account) return { kind: 'not_found', accountId };
    if (account.keyStatus === 'refused' && !options.evenIfKeyRefused) {
      return { kind: 'key_refused', accountId, code: account.keyRefusedCode, since: account.keyRefusedAt };
    }
    const keyMaterial = keyMaterialOf(account);
    const kept = options.kept?.get(account.id, keyMaterial);
    if (kept) return { kind: 'connected', port: kept, userId: account.userId };
    const port = await this.factory.connect({
      accountId: account.id,
      apiKey: account.apiKey,
      apiSecret: this.identity.revealSecret(account),
    });
    options.kept?.keep(account.id, keyMaterial, port);
    return { kind: 'connected', port, userId: account.userId };
  }
}

/** What a client was made from, none of it secret: the API key, the encryption key's id and the sealed secret. */
function keyMaterialOf(account: ExchangeAccountRecord): string {
  return [account.apiKey, account.encryptionKeyId, account.apiSecretCiphertext].join('\n');
}
