// Bybit retCodes the simulator answers with. Every code exists in Bybit's error table
// (docs/v5/error.mdx, copied as ../shared/data/bybit-v5/errors.json); messages are the table's
// text unless Bybit is known to answer with a more specific text for the same code
// (10001 is "params error: …" with a reason in practice). The ccxt 4.5.84 class each code
// produces is noted beside it (bybit.js `exceptions.exact`).

/** The retCodes the simulator uses, by situation. */
export const RetCode = {
  OK: 0,
  /** ccxt BadRequest */
  PARAMS_ERROR: 10001,
  /** ccxt InvalidNonce */
  TIMESTAMP_OUT_OF_WINDOW: 10002,
  /** ccxt AuthenticationError */
  API_KEY_INVALID: 10003,
  /** ccxt AuthenticationError */
  SIGN_ERROR: 10004,
  /** ccxt RateLimitExceeded */
  RATE_LIMIT: 10006,
  /** ccxt InvalidOrder */
  REDUCE_ONLY_NOT_SATISFIED: 110017,
  /** ccxt InsufficientFunds */
  INSUFFICIENT_AVAILABLE_BALANCE: 110007,
  /** ccxt InvalidOrder */
  ORDER_LINK_ID_DUPLICATE: 110072,
  /** ccxt InvalidOrder */
  NOTIONAL_BELOW_MIN: 110094,
} as const;

export type RetCodeValue = (typeof RetCode)[keyof typeof RetCode];

/** Messages from errors.json (docs/v5/error.mdx) for the fixed-text codes. */
export const RetMsg = {
  [RetCode.TIMESTAMP_OUT_OF_WINDOW]: 'The request time exceeds the time window range.',
  [RetCode.API_KEY_INVALID]:
    'API key is invalid. Check whether the key and domain are matched, there are 4 env: mainnet, testnet, mainnet-demo, testnet-demo',
  [RetCode.SIGN_ERROR]: 'Error sign, please check your signature generation algorithm.',
  [RetCode.RATE_LIMIT]: 'Too many visits. Exceeded the API Rate Limit.',
  [RetCode.INSUFFICIENT_AVAILABLE_BALANCE]: 'Available balance is insufficient',
  [RetCode.ORDER_LINK_ID_DUPLICATE]: 'OrderLinkedID is duplicate',
  [RetCode.NOTIONAL_BELOW_MIN]: 'Order notional value below the lower limit',
  // errors.json says "orderQty will be truncated to zero"; ccxt documents the live text below.
  [RetCode.REDUCE_ONLY_NOT_SATISFIED]: 'Reduce-only rule not satisfied',
} as const;

/** Message of a rejected order for a symbol we do not list (ccxt: 10001 → BadRequest). */
export const SYMBOL_INVALID_MSG = 'params error: symbol invalid';

/**
 * A request Bybit would refuse with a non-zero retCode (HTTP 200 with the error envelope).
 * Thrown by the engine, turned into the envelope by the HTTP layer.
 */
export class BybitError extends Error {
  constructor(
    readonly retCode: RetCodeValue,
    readonly retMsg: string,
  ) {
    super(`${retCode} ${retMsg}`);
    this.name = 'BybitError';
  }

  /** A 10001 params error with Bybit's "params error: <reason>" wording. */
  static params(reason: string): BybitError {
    return new BybitError(RetCode.PARAMS_ERROR, `params error: ${reason}`);
  }

  /** An error whose message is the fixed text from errors.json. */
  static of(code: keyof typeof RetMsg): BybitError {
    return new BybitError(code, RetMsg[code]);
  }
}
