/**
 * The Legwork codes for what the exchange answered, decided only in this library
 * (exchange-outcome.ts classifies Bybit retCodes and ccxt error classes into them, so no Bybit
 * vocabulary leaves libs/exchange). Codes are the API's contract (a failed position's
 * `failure.code`): never rename one.
 */
export const EXCHANGE_ERROR_CODES = [
  'EXCHANGE.AUTH',
  'EXCHANGE.BAD_REQUEST',
  'EXCHANGE.CIRCUIT_OPEN',
  'EXCHANGE.DUPLICATE_ORDER_LINK_ID',
  'EXCHANGE.DUPLICATE_REQUEST',
  'EXCHANGE.INSUFFICIENT_MARGIN',
  'EXCHANGE.INVALID_ORDER',
  'EXCHANGE.INVALID_SYMBOL',
  'EXCHANGE.MAINTENANCE',
  'EXCHANGE.NETWORK',
  'EXCHANGE.NOT_FILLED',
  'EXCHANGE.ORDER_PROCESSING',
  'EXCHANGE.RATE_LIMITED',
  'EXCHANGE.TIMEOUT',
  'EXCHANGE.UNAVAILABLE',
  'EXCHANGE.UNKNOWN_ERROR',
] as const;

export type ExchangeErrorCode = (typeof EXCHANGE_ERROR_CODES)[number];

/** Why an API key was refused when an account is added (api-key-policy.ts). */
export const API_KEY_ERROR_CODES = [
  'ACCOUNT.KEY_INVALID',
  'ACCOUNT.KEY_CAN_WITHDRAW',
  'ACCOUNT.KEY_READ_ONLY',
  'ACCOUNT.KEY_CANNOT_TRADE',
] as const;

export type ApiKeyErrorCode = (typeof API_KEY_ERROR_CODES)[number];
