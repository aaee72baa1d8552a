import * as ccxt from 'ccxt';
import { ExchangeRequestRefusedError, ExchangeUnavailableError, PlaceOrderOutcome } from './exchange.port';

/** Bybit V5 `retCode` carried in a ccxt error message (`bybit {"retCode":110007,...}`), if any. */
export function bybitRetCode(error: unknown): number | null {
  const match = /"retCode":\s*(\d+)/.exec(String((error as Error)?.message ?? ''));
  return match ? Number(match[1]) : null;
}

/** Bybit: 110072 "OrderLinkedID is duplicate" (docs/v5/error.mdx) — ccxt maps it to InvalidOrder. */
const DUPLICATE_ORDER_LINK_ID = 110072;

type Classified = { definitive: true; code: string } | { definitive: false; code: string };

/**
 * THE one place that decides whether an exchange error is a definitive answer or an ambiguous one.
 * Nautilus' rule: an unknown outcome never becomes a rejection.
 *
 * Definitive (the exchange understood the request and refused it): authentication/permission,
 * insufficient funds/margin, bad request or symbol, invalid order (lot size, min notional,
 * reduce-only rule). Ambiguous: every ccxt NetworkError (timeouts, 5xx, rate limits, nonce),
 * generic ExchangeError (e.g. 10016 server error), a duplicate `orderLinkId` (the order exists),
 * and anything unrecognised. Error classes: ccxt `js/src/base/errors.js`; codes: bybit.js `exceptions`.
 */
export function classifyExchangeError(error: unknown): Classified {
  if (error instanceof Error && error.name === 'CircuitOpenError') return { definitive: false, code: 'EXCHANGE.CIRCUIT_OPEN' };
  if (error instanceof ccxt.NetworkError) {
    if (error instanceof ccxt.RateLimitExceeded) return { definitive: false, code: 'EXCHANGE.RATE_LIMITED' };
    if (error instanceof ccxt.RequestTimeout) return { definitive: false, code: 'EXCHANGE.TIMEOUT' };
    if (error instanceof ccxt.ExchangeNotAvailable) return { definitive: false, code: 'EXCHANGE.UNAVAILABLE' };
    return { definitive: false, code: 'EXCHANGE.NETWORK' };
  }
  if (error instanceof ccxt.AuthenticationError) return { definitive: true, code: 'EXCHANGE.AUTH' };
  if (error instanceof ccxt.InsufficientFunds) return { definitive: true, code: 'EXCHANGE.INSUFFICIENT_MARGIN' };
  if (error instanceof ccxt.BadSymbol) return { definitive: true, code: 'EXCHANGE.INVALID_SYMBOL' };
  if (error instanceof ccxt.InvalidOrder) {
    if (bybitRetCode(error) === DUPLICATE_ORDER_LINK_ID) return { definitive: false, code: 'EXCHANGE.DUPLICATE_ORDER_LINK_ID' };
    return { definitive: true, code: 'EXCHANGE.INVALID_ORDER' };
  }
  if (error instanceof ccxt.BadRequest) return { definitive: true, code: 'EXCHANGE.BAD_REQUEST' };
  return { definitive: false, code: 'EXCHANGE.UNKNOWN_ERROR' };
}

/** Maps an error thrown by order placement to a {@link PlaceOrderOutcome}. */
export function placeOrderOutcomeFromError(error: unknown): PlaceOrderOutcome {
  const c = classifyExchangeError(error);
  const reason = describe(error);
  return c.definitive ? { kind: 'rejected', code: c.code, reason, permanent: true } : { kind: 'unknown', code: c.code, reason };
}

/** Maps an error thrown by a read to the error the port promises. */
export function readError(error: unknown, what: string): Error {
  const c = classifyExchangeError(error);
  const message = `${what}: ${describe(error)}`;
  return c.definitive ? new ExchangeRequestRefusedError(c.code, message) : new ExchangeUnavailableError(c.code, message);
}

/** ccxt messages are `<exchange> <json>`; keep it short and never include request headers. */
function describe(error: unknown): string {
  const e = error as Error;
  return `${e?.constructor?.name ?? 'Error'}: ${String(e?.message ?? e).slice(0, 300)}`;
}
