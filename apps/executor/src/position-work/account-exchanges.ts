import { Injectable } from '@nestjs/common';
import { ExchangePort, ExchangeUnavailableError } from '@legwork/exchange';
import { AccountExchangeConnector } from '@legwork/exchange-accounts';
import { TransientExecutionError } from '../leg-execution/transient-error';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * The exchange port for an account, its API secret decrypted just before the client is made
 * (one client per unit of work; the secret is not kept beyond it), by the one account → client
 * factory (`AccountExchangeConnector`). An account whose key the exchange already refused
 * (marked by a scan) gets no client: its work fails at once with `ACCOUNT.KEY_REFUSED` instead of
 * being retried against a key that will not come back.
 */
@Injectable()
export class AccountExchanges {
  constructor(private readonly connector: AccountExchangeConnector) {}

  /** @throws TransientExecutionError when the exchange's markets cannot be loaded */
  async forAccount(accountId: string): Promise<{ port: ExchangePort } | { failure: ExecutionFailure }> {
    try {
      const connection = await this.connector.connect(accountId);
      switch (connection.kind) {
        case 'connected':
          return { port: connection.port };
        case 'not_found':
          return { failure: { code: 'ACCOUNT.NOT_FOUND', reason: `exchange account ${accountId} does not exist` } };
        case 'key_refused':
          return { failure: { code: 'ACCOUNT.KEY_REFUSED', reason: keyRefusedReason(connection) } };
      }
    } catch (error) {
      if (error instanceof ExchangeUnavailableError) throw new TransientExecutionError(error.code, error.message);
      throw error;
    }
  }
}

/** Why an account gets no exchange client: its key was refused (with the refusal's code and since when). */
export function keyRefusedReason(refused: { accountId: string; code: string | null; since: Date | null }): string {
  return `the exchange refused the API key of account ${refused.accountId} (${refused.code ?? 'auth'}, since ${refused.since?.toISOString() ?? '?'}); replace it with account:rotate-key`;
}
