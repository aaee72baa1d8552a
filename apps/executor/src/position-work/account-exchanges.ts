import { Injectable } from '@nestjs/common';
import { BybitClientFactory, ExchangePort, ExchangeUnavailableError } from '@legwork/exchange';
import { IdentityRepository } from '@legwork/persistence';
import { TransientExecutionError } from '../leg-execution/transient-error';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * The exchange port for an account, its API secret decrypted just before the client is made
 * (one client per unit of work; the secret is not kept beyond it). An account whose key the
 * exchange already refused (marked by a scan) gets no client: its work fails at once with
 * `ACCOUNT.KEY_REFUSED` instead of being retried against a key that will not come back.
 */
@Injectable()
export class AccountExchanges {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
  ) {}

  /** @throws TransientExecutionError when the exchange's markets cannot be loaded */
  async forAccount(accountId: string): Promise<{ port: ExchangePort } | { failure: ExecutionFailure }> {
    const account = await this.identity.findAccount(accountId);
    if (!account) return { failure: { code: 'ACCOUNT.NOT_FOUND', reason: `exchange account ${accountId} does not exist` } };
    if (account.keyStatus === 'refused') {
      return {
        failure: {
          code: 'ACCOUNT.KEY_REFUSED',
          reason: `the exchange refused the API key of account ${accountId} (${account.keyRefusedCode ?? 'auth'}, since ${account.keyRefusedAt?.toISOString() ?? '?'}); replace it with account:rotate-key`,
        },
      };
    }
    try {
      return {
        port: await this.factory.connect({ accountId: account.id, apiKey: account.apiKey, apiSecret: this.identity.revealSecret(account) }),
      };
    } catch (error) {
      if (error instanceof ExchangeUnavailableError) throw new TransientExecutionError(error.code, error.message);
      throw error;
    }
  }
}
