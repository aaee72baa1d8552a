import { BybitPrivateStreams, PrivateStreamHandle, PrivateStreamHandlers } from '@legwork/exchange';
import { IdentityRepository } from '@legwork/persistence';

/** What asking to follow an account's private stream gave. */
export type AccountStream =
  | { kind: 'following'; stream: PrivateStreamHandle }
  | { kind: 'not_found'; accountId: string }
  | { kind: 'key_refused'; accountId: string };

/**
 * Account → private exchange stream, the streaming side of `AccountExchangeConnector`: it loads
 * the account, follows no account whose key the exchange already refused, and decrypts the API
 * secret only to hand it to the stream connection (which signs each `auth` with it).
 */
export class AccountStreamConnector {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly streams: BybitPrivateStreams,
  ) {}

  /** Opens (and keeps reopening) the account's private stream. @throws the database's error */
  async follow(accountId: string, handlers: PrivateStreamHandlers): Promise<AccountStream> {
    const account = await this.identity.findAccount(accountId);
    if (!account) return { kind: 'not_found', accountId };
    if (account.keyStatus === 'refused') return { kind: 'key_refused', accountId };
    const stream = this.streams.open(
      { accountId: account.id, apiKey: account.apiKey, apiSecret: this.identity.revealSecret(account) },
      handlers,
    );
    return { kind: 'following', stream };
  }
}
