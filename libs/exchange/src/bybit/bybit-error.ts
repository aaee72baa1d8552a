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
