// The simulated accounts and their API keys. An account keeps the key it was created with as its
// identity (control API, faults, state); more keys can be added and any key revoked, as an
// owner does in Bybit's API management page. Invariant: a key belongs to at most one account,
// revoked keys included, so a revoked key can never be handed out again.
import { Dec } from './decimal';
import { InstrumentCatalogue } from './instruments';
import { DEFAULT_LEVERAGE, initialLeverage } from './leverage';
import { AccountState, ApiKeyPermissions, PositionMode } from './types';

/** Input of {@link AccountBook.create}. */
export interface NewAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Starting USDT wallet balance. */
  readonly balanceUsdt: Dec;
  readonly canWithdraw?: boolean;
  readonly permissions?: ApiKeyPermissions;
  /** Mode of every symbol at creation; default one-way (position-mode.mdx "System default"). */
  readonly positionMode?: PositionMode;
  /** Leverage every symbol starts at (capped to its leverageFilter); default 10. */
  readonly defaultLeverage?: Dec;
}

/** Thrown when a key to create or add is taken (control API answers 409). */
export class AccountExistsError extends Error {
  constructor(apiKey: string) {
    super(`apiKey ${apiKey} is taken`);
    this.name = 'AccountExistsError';
  }
}

/** Thrown when no account has the key (control API answers 404). */
export class UnknownAccountError extends Error {
  constructor(apiKey: string) {
    super(`no account with apiKey ${apiKey}`);
    this.name = 'UnknownAccountError';
  }
}

/** Accounts, found by any of their keys. */
export class AccountBook {
  private readonly byKey = new Map<string, AccountState>();
  private readonly accountList: AccountState[] = [];
  private nextUserId = 100_001;

  constructor(private readonly catalogue: InstrumentCatalogue) {}

  /** @throws AccountExistsError when the key is taken */
  create(input: NewAccount, now: number): AccountState {
    if (this.byKey.has(input.apiKey)) throw new AccountExistsError(input.apiKey);
    const mode = input.positionMode ?? 'OneWay';
    const defaultLeverage = input.defaultLeverage ?? DEFAULT_LEVERAGE;
    const account: AccountState = {
      apiKey: input.apiKey,
      apiKeys: new Map([[input.apiKey, { apiSecret: input.apiSecret, revoked: false }]]),
      walletBalance: input.balanceUsdt,
      canWithdraw: input.canWithdraw ?? false,
      permissions: input.permissions,
      createdTime: now,
      userId: this.nextUserId++,
      usedOrderLinkIds: new Set(),
      orders: [],
      executions: [],
      transactionLog: [],
      positions: new Map(),
      positionHistory: new Map(),
      positionModes: new Map(this.catalogue.symbols().map((symbol) => [symbol, mode])),
      leverages: new Map(this.catalogue.all.map((instrument) => [instrument.symbol, initialLeverage(instrument, defaultLeverage)])),
      crossSeqs: new Map(),
    };
    this.byKey.set(input.apiKey, account);
    this.accountList.push(account);
    return account;
  }

  /** The account holding `apiKey` (active or revoked), if any. */
  find(apiKey: string): AccountState | undefined {
    return this.byKey.get(apiKey);
  }

  /** @throws UnknownAccountError */
  get(apiKey: string): AccountState {
    const account = this.byKey.get(apiKey);
    if (account === undefined) throw new UnknownAccountError(apiKey);
    return account;
  }

  /** The secret of an active key; undefined for an unknown or revoked one (auth answers 10003). */
  secretOf(apiKey: string): string | undefined {
    const key = this.byKey.get(apiKey)?.apiKeys.get(apiKey);
    return key === undefined || key.revoked ? undefined : key.apiSecret;
  }

  /**
   * Gives the account of `apiKey` one more key.
   *
   * @throws UnknownAccountError, AccountExistsError when `newApiKey` is taken (revoked keys included)
   */
  addKey(apiKey: string, newApiKey: string, newApiSecret: string): AccountState {
    const account = this.get(apiKey);
    if (this.byKey.has(newApiKey)) throw new AccountExistsError(newApiKey);
    account.apiKeys.set(newApiKey, { apiSecret: newApiSecret, revoked: false });
    this.byKey.set(newApiKey, account);
    return account;
  }

  /** Revokes one key (idempotent). @throws UnknownAccountError */
  revokeKey(apiKey: string): AccountState {
    const account = this.get(apiKey);
    const key = account.apiKeys.get(apiKey);
    if (key !== undefined) key.revoked = true;
    return account;
  }

  all(): AccountState[] {
    return [...this.accountList];
  }

  clear(): void {
    this.byKey.clear();
    this.accountList.length = 0;
  }
}
