import { z } from 'zod';
import type { ExchangeAccountRecord } from '@legwork/persistence';

/**
 * `GET /api/accounts`: the caller's exchange accounts, so a frontend can offer an `accountId`.
 * Never the secret, never the API key in full: its last 4 characters only (`apiKeyHint`), enough
 * for a person to tell two keys apart. The key's status is what the scans recorded the last time
 * the exchange answered for it (`ok`, or `refused` with when and why: rotate the key with the
 * CLI's `account:rotate-key`).
 */
export const AccountView = z
  .strictObject({
    id: z.uuid(),
    exchangeEnv: z.enum(['sim', 'testnet', 'mainnet']),
    positionMode: z.enum(['one_way', 'hedge']).meta({ description: 'Bybit position mode for USDT linear perpetuals' }),
    apiKeyHint: z.string().meta({ description: 'the API key’s last 4 characters, masked', example: '****7Qz2' }),
    keyStatus: z.enum(['ok', 'refused']).meta({ description: '`refused` once the exchange refused the key; `ok` again after a rotation' }),
    keyRefused: z
      .strictObject({
        at: z.string().meta({ description: 'ISO 8601' }),
        code: z.string().nullable().meta({ description: 'Legwork’s code for the refusal, e.g. EXCHANGE.AUTH' }),
        reason: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.string().meta({ description: 'ISO 8601' }),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof AccountView>;

/** `GET /api/accounts`'s answer (an object, so paging can be added beside `accounts`). */
export const AccountList = z
  .strictObject({ accounts: z.array(AccountView).meta({ description: 'oldest first' }) })
  .meta({ id: 'AccountList' });
export type AccountList = z.infer<typeof AccountList>;

/** An API key as it may be shown: `****` and its last 4 characters (a key of 8 or fewer: `****` alone). */
export function maskApiKey(apiKey: string): string {
  return apiKey.length > 8 ? `****${apiKey.slice(-4)}` : '****';
}

/** One account as the API shows it (see {@link AccountView}). */
export function accountView(a: ExchangeAccountRecord): AccountView {
  return {
    id: a.id,
    exchangeEnv: a.exchangeEnv,
    positionMode: a.positionMode,
    apiKeyHint: maskApiKey(a.apiKey),
    keyStatus: a.keyStatus,
    keyRefused:
      a.keyStatus === 'refused' && a.keyRefusedAt
        ? { at: a.keyRefusedAt.toISOString(), code: a.keyRefusedCode, reason: a.keyRefusedReason }
        : null,
    createdAt: a.createdAt.toISOString(),
  };
}
