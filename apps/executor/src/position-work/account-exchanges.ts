import { Injectable } from '@nestjs/common';
import { ExchangePort, ExchangeUnavailableError } from '@legwork/exchange';
import { AccountExchangeConnector, KeptAccountPorts } from '@legwork/exchange-accounts';
import { TransientExecutionError } from '../leg-execution/transient-error';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * The exchange port for an account, its API secret decrypted just before the client is made, by
 * the one account → client factory (`AccountExchangeConnector`). The client is kept while the
 * account trades (KeptAccountPorts: dropped `idleMs` after its last use, as the account's stream)
 * so that its next basket does not build one again. An account whose key the exchange already refused
 * (marked by a scan) gets no client: its work fails at once with `ACCOUNT.KEY_REFUSED` instead of
 * being retried against a key that will not come back.
 */
@Injectable()
export class AccountExchanges {
  constructor(
    private readonly connector: AccountExchangeConnector,
    private readonly kept: KeptAccountPorts,
  ) {}

  /** @throws TransientExecutionError when the exchange's markets cannot be loaded */
  async forAccount(accountId: string): Promise<{ port: ExchangePort } | { failure: ExecutionFailure }> {
    try {
      const connection = await this.connector.connect(accountId, { kept: this.kept });
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
