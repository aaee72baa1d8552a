import * as ccxt from 'ccxt';
import type { ExchangeRefusal } from '../exchange.port';

/**
 * The Bybit V5 envelope a ccxt error carries: ccxt 4.5.84's `bybit.handleErrors` throws
 * `new <Class>('bybit ' + body)`, the raw response body, e.g.
 * `bybit {"retCode":110007,"retMsg":"ab not enough for new order","result":{},...}`.
 * @returns null when the message carries no such envelope (network errors, HTTP-level refusals).
 */
export function bybitRefusalOf(error: unknown): ExchangeRefusal | null {
  const message = String((error as Error)?.message ?? '');
  const start = message.indexOf('{');
  if (start >= 0) {
    try {
      const body = JSON.parse(message.slice(start)) as { retCode?: unknown; retMsg?: unknown };
      if (typeof body.retCode === 'number') return { retCode: body.retCode, retMsg: typeof body.retMsg === 'string' ? body.retMsg : '' };
    } catch {
      // A body cut short or not JSON: the retCode alone may still be readable below.
    }
  }
  const match = /"retCode":\s*(\d+)/.exec(message);
  return match ? { retCode: Number(match[1]), retMsg: /"retMsg":\s*"((?:[^"\\]|\\.)*)"/.exec(message)?.[1] ?? '' } : null;
}

/** A ccxt bybit client without credentials, used only for its error table (no request is ever sent). */
let errorTable: ccxt.bybit | null = null;
const ORDER_CREATE_URL = 'https://api.bybit.com/v5/order/create';

/**
 * The error ccxt 4.5.84 itself throws when `/v5/order/create` answers `retCode` / `retMsg`
 * (`bybit.handleErrors`, its `exceptions` table: exact codes, then broad messages), so that one
 * entry of a create-batch answer — which ccxt returns as a `rejected` order with `info.code` /
 * `info.msg` instead of throwing — is classified exactly as the same refusal of a single order.
 * @returns a ccxt `ExchangeError` (or subclass); a plain `ExchangeError` when ccxt maps nothing.
 */
export function bybitErrorForRetCode(retCode: number, retMsg: string): Error {
  errorTable ??= new ccxt.bybit();
  const body = JSON.stringify({ retCode, retMsg, result: {}, retExtInfo: {}, time: 0 });
  try {
    errorTable.handleErrors(200, 'OK', ORDER_CREATE_URL, 'POST', {}, body, errorTable.parseJson(body), {}, '{}');
  } catch (error) {
    return error as Error;
  }
  return new ccxt.ExchangeError(`bybit ${body}`);
}
