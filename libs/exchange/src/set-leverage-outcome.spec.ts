import * as ccxt from 'ccxt';
import bybitErrors from './bybit/fixtures/bybit-v5-errors.json';
import { setLeverageOutcomeFromError } from './exchange-outcome';

/**
 * setLeverageOutcomeFromError: each Bybit answer to POST /v5/position/set-leverage
 * (docs/v5/position/leverage.mdx) turned into an exception by ccxt itself (bybit.handleErrors), with
 * the messages of docs/v5/error.mdx (fixtures/bybit-v5-errors.json). No mocks, no network.
 */
const bybit = new ccxt.bybit();
const SET_LEVERAGE_URL = 'https://api.bybit.com/v5/position/set-leverage';
const uta = (bybitErrors as { sections: Record<string, Record<string, string>> }).sections['UTA'] ?? {};

/** What ccxt throws for a 200 answer carrying `retCode`, with Bybit's own message for it. */
function ccxtErrorForRetCode(code: number): unknown {
  const body = JSON.stringify({
    retCode: code,
    retMsg: uta[String(code)] ?? 'Request parameter error',
    result: {},
    retExtInfo: {},
    time: 1,
  });
  try {
    bybit.handleErrors(200, 'OK', SET_LEVERAGE_URL, 'POST', {}, body, bybit.parseJson(body), {}, '{}');
  } catch (error) {
    return error;
  }
  throw new Error(`ccxt threw nothing for retCode ${code}`);
}

describe('setLeverageOutcomeFromError', () => {
  it('110043 "Set leverage has not been modified." (ccxt BadRequest) is success: the symbol already has it', () => {
    const error = ccxtErrorForRetCode(110043);
    expect(error).toBeInstanceOf(ccxt.BadRequest);
    expect(setLeverageOutcomeFromError(error)).toEqual({ kind: 'not_modified' });
  });

  it.each([
    [110044, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'], // an open position's margin at the lower leverage exceeds the wallet
    [10001, 'BadRequest', 'EXCHANGE.BAD_REQUEST'], // outside the instrument's leverageFilter
    [110013, 'BadRequest', 'EXCHANGE.BAD_REQUEST'], // risk limit
    [110036, 'InvalidOrder', 'EXCHANGE.INVALID_ORDER'], // cross margin mode
  ])("retCode %i → %s → refused %s, with the retCode and Bybit's message", (retCode, ccxtClass, code) => {
    const error = ccxtErrorForRetCode(retCode);
    expect((error as Error).constructor.name).toBe(ccxtClass);
    const outcome = setLeverageOutcomeFromError(error);
    // The retCode is a field; the reason is a plain sentence with Bybit's message, never raw JSON.
    expect(outcome).toEqual({
      kind: 'refused',
      code,
      retCode,
      reason: expect.stringContaining(uta[String(retCode)] ?? 'Request parameter error'),
    });
    expect((outcome as { reason: string }).reason).not.toContain('{');
  });

  it('a timeout, a 5xx or a duplicate request (10014) is unavailable: the leverage may or may not have changed', () => {
    expect(setLeverageOutcomeFromError(new ccxt.RequestTimeout('bybit POST set-leverage timed out'))).toMatchObject({
      kind: 'unavailable',
      code: 'EXCHANGE.TIMEOUT',
    });
    expect(setLeverageOutcomeFromError(new ccxt.ExchangeNotAvailable('bybit 503'))).toMatchObject({
      kind: 'unavailable',
      code: 'EXCHANGE.UNAVAILABLE',
    });
    expect(setLeverageOutcomeFromError(ccxtErrorForRetCode(10014))).toMatchObject({
      kind: 'unavailable',
      code: 'EXCHANGE.DUPLICATE_REQUEST',
    });
  });
});
