// Private account endpoints: API key info, account info, wallet balance, transaction log and coin
// info (docs/v5/user/apikey-info.mdx, docs/v5/account/account-info.mdx,
// docs/v5/account/wallet-balance.mdx, docs/v5/account/transaction-log.mdx, docs/v5/asset/coin-info.mdx).
import { FastifyInstance } from 'fastify';
import { BybitError } from '../engine/errors';
import { paginate, timeWindow } from '../engine/queries';
import { AccountState, ApiKeyPermissions, TransactionLogEntry } from '../engine/types';
import { ok } from './envelope';
import { optionalInteger, optionalString, pageLimit, requiredString } from './params';
import { SimContext, json, v5Route } from './v5-route';
import { transactionLogRow, walletRow } from './wire';

/** The permissions of a trading key; "Withdraw" is added under Wallet when the key may withdraw. */
export function keyPermissions(account: AccountState): ApiKeyPermissions {
  if (account.permissions !== undefined) return account.permissions;
  return {
    ContractTrade: ['Order', 'Position'],
    Spot: ['SpotTrade'],
    Wallet: account.canWithdraw ? ['AccountTransfer', 'SubMemberTransfer', 'Withdraw'] : ['AccountTransfer', 'SubMemberTransfer'],
    Options: ['OptionsTrade'],
    Derivatives: ['DerivativesTrade'],
    CopyTrading: [],
    BlockTrade: [],
    Exchange: ['ExchangeHistory'],
    NFT: [],
    Affiliate: [],
    Earn: [],
  };
}

/** The /v5/user/query-api result for the key used (uta 1: a unified trading account). */
export function apiKeyInfo(account: AccountState, keyUsed: string): Record<string, unknown> {
  const created = new Date(account.createdTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id: String(account.userId * 10),
    note: 'bybit-sim',
    apiKey: keyUsed,
    readOnly: 0,
    secret: '',
    permissions: keyPermissions(account),
    ips: ['*'],
    type: 1,
    deadlineDay: -2,
    expiredAt: '1970-01-01T00:00:00Z',
    createdAt: created,
    unified: 0,
    uta: 1,
    userID: account.userId,
    inviterID: 0,
    vipLevel: 'No VIP',
    mktMakerLevel: '0',
    affiliateID: 0,
    rsaPublicKey: '',
    isMaster: true,
    parentUid: '0',
    kycLevel: 'LEVEL_1',
    kycRegion: '',
    userIDInt64: String(account.userId),
    inviterIDInt64: '0',
    affiliateIDInt64: '0',
  };
}

function coinRow(coin: string, chain: string, chainType: string): Record<string, unknown> {
  return {
    name: coin,
    coin,
    remainAmount: '0',
    chains: [
      {
        chainType,
        confirmation: '10',
        withdrawFee: '1',
        depositMin: '0',
        withdrawMin: '1',
        chain,
        chainDeposit: '1',
        chainWithdraw: '1',
        minAccuracy: '8',
        withdrawPercentageFee: '0',
        contractAddress: '',
        safeConfirmNumber: '20',
        withdrawMax: '-1',
      },
    ],
  };
}

/** Registers the account endpoints. */
export function registerAccountRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const account = (apiKey: string): AccountState => {
    const found = exchange.account(apiKey);
    if (found === undefined) throw new Error(`authenticated key ${apiKey} has no account`);
    return found;
  };

  v5Route(app, context, 'GET', '/v5/user/query-api', 'private', ({ now, apiKey, keyUsed }) =>
    json(ok(apiKeyInfo(account(apiKey), keyUsed), now, '')),
  );

  v5Route(app, context, 'GET', '/v5/account/info', 'private', ({ now, apiKey }) =>
    json(
      ok(
        {
          marginMode: 'REGULAR_MARGIN',
          updatedTime: String(account(apiKey).createdTime),
          unifiedMarginStatus: 6,
          dcpStatus: 'OFF',
          timeWindow: 0,
          smpGroup: 0,
          isMasterTrader: false,
          spotHedgingStatus: 'OFF',
        },
        now,
      ),
    ),
  );

  v5Route(app, context, 'GET', '/v5/account/wallet-balance', 'private', ({ now, apiKey, params }) => {
    const accountType = requiredString(params, 'accountType');
    if (accountType !== 'UNIFIED') throw BybitError.params('accountType only support UNIFIED');
    const row = walletRow(exchange.wallet(apiKey, now));
    const coins = optionalString(params, 'coin')?.split(',');
    if (coins !== undefined && !coins.includes('USDT')) row['coin'] = [];
    return json(ok({ list: [row] }, now));
  });

  // Newest first in the 7-day window of the other history endpoints; filters category (linear
  // only has rows), currency (USDT only), baseCoin, type; limit [1, 50], default 20.
  v5Route(app, context, 'GET', '/v5/account/transaction-log', 'private', ({ now, apiKey, params }) => {
    const accountType = optionalString(params, 'accountType');
    if (accountType !== undefined && accountType !== 'UNIFIED') throw BybitError.params('accountType only support UNIFIED');
    const category = optionalString(params, 'category');
    const currency = optionalString(params, 'currency');
    const baseCoin = optionalString(params, 'baseCoin');
    const type = optionalString(params, 'type');
    const limit = pageLimit(params, 20, 50);
    const { start, end } = timeWindow(now, optionalInteger(params, 'startTime'), optionalInteger(params, 'endTime'));
    const visible = (entry: TransactionLogEntry): boolean =>
      entry.transactionTime >= start &&
      entry.transactionTime <= end &&
      (category === undefined || category === 'linear') &&
      (currency === undefined || currency === 'USDT') &&
      (baseCoin === undefined || exchange.catalogue.get(entry.symbol).baseCoin === baseCoin) &&
      (type === undefined || entry.type === type);
    exchange.settle(now);
    const entries = account(apiKey)
      .transactionLog.filter(visible)
      .sort((a, b) => b.transactionTime - a.transactionTime || b.ordinal - a.ordinal);
    const page = paginate(entries, limit, optionalString(params, 'cursor'));
    return json(
      ok(
        {
          list: page.list.map((entry) => transactionLogRow(entry, exchange.catalogue.get(entry.symbol))),
          nextPageCursor: page.nextPageCursor,
        },
        now,
      ),
    );
  });

  v5Route(app, context, 'GET', '/v5/asset/coin/query-info', 'private', ({ now, params }) => {
    const coin = optionalString(params, 'coin');
    const rows = [
      coinRow('USDT', 'ETH', 'ERC20'),
      ...exchange.catalogue.all.map((instrument) => coinRow(instrument.baseCoin, instrument.baseCoin, instrument.baseCoin)),
    ];
    return json(ok({ rows: rows.filter((row) => coin === undefined || row['coin'] === coin) }, now, 'success'));
  });
}
