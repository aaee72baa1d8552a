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
  /** ccxt BadRequest */
  POSITION_MODE_POSITION_OPEN: 110024,
  /** ccxt NoChange */
  POSITION_MODE_NOT_MODIFIED: 110025,
  /** ccxt BadRequest */
  LEVERAGE_NOT_MODIFIED: 110043,
  /** ccxt InsufficientFunds */
  LEVERAGE_MARGIN_INSUFFICIENT: 110044,
  /** ccxt InvalidOrder */
  PRE_DELIVERY_REDUCE_ONLY: 110042,
  /** ccxt ExchangeError */
  SETTLEMENT_IN_PROGRESS: 110063,
  /** not in ccxt's map: ExchangeError */
  CONTRACT_NOT_LIVE: 110074,
  /** ccxt ExchangeError; exchange-wide maintenance */
  SERVER_ERROR: 10016,
  /** ccxt ExchangeError ("No trading is allowed at the current time"); a symbol in maintenance */
  TRADING_NOT_ALLOWED: 110066,
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
  [RetCode.POSITION_MODE_POSITION_OPEN]: 'You have an existing position, so the position mode cannot be switched.',
  [RetCode.POSITION_MODE_NOT_MODIFIED]: 'Position mode has not been modified.',
  [RetCode.LEVERAGE_NOT_MODIFIED]: 'Set leverage has not been modified.',
  [RetCode.LEVERAGE_MARGIN_INSUFFICIENT]: 'Available margin is insufficient.',
  [RetCode.PRE_DELIVERY_REDUCE_ONLY]: 'Currently,due to pre-delivery status, you can only reduce your position on this contract.',
  [RetCode.CONTRACT_NOT_LIVE]: 'This contract is not live',
  [RetCode.SERVER_ERROR]: 'Server error.',
  [RetCode.TRADING_NOT_ALLOWED]: 'Trading is currently not allowed.',
  // errors.json says "orderQty will be truncated to zero"; ccxt documents the live text below.
  [RetCode.REDUCE_ONLY_NOT_SATISFIED]: 'Reduce-only rule not satisfied',
} as const;

/** Bybit's 10001 text for a positionIdx that does not fit the symbol's position mode. */
export const POSITION_IDX_MISMATCH_MSG = 'params error: position idx not match position mode';

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

/** 110063's text from errors.json with its {{key0}} placeholder filled with the symbol. */
export function settlementInProgress(symbol: string): BybitError {
  return new BybitError(RetCode.SETTLEMENT_IN_PROGRESS, `Settlement in progress! ${symbol} not available for trading.`);
}
