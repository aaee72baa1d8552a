import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import {
  BASKET_LEVERAGE,
  decideOneXLeverage,
  LEVERAGE_NOT_1X,
  LeverageRefusal,
  leverageRefusalReason,
  oneXReadBackRefusals,
} from '@legwork/domain';
import { ExchangePort, PositionView } from '@legwork/exchange';
import { LegExecutor } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * Set-leverage requests one basket sends per second: half of Bybit's 10/s per UID for
 * POST /v5/position/set-leverage (docs/v5/rate-limit/rate-limit.mdx; ../shared/notes/performance-and-reliability.md),
 * leaving the other half to a second basket of the account pre-checked at the same time. Over
 * it anyway, the exchange's 10006 is an unavailable outcome: the basket is retried.
 */
const SET_LEVERAGE_PER_SECOND = 5;

/**
 * Puts every symbol of a basket at 1x before its first leg (seed 001; the rule and its refusal
 * text: `decideOneXLeverage` in libs/domain/src/leverage). Reads each symbol's row (flat ones
 * included), sets 1x where the symbol is flat at another leverage — the symbols at once, up to
 * SET_LEVERAGE_PER_SECOND a second — reads those back, and refuses
 * the basket — before any order — when a symbol is held at another leverage, the exchange refuses
 * 1x, or the read-back disagrees.
 *
 * Runs once per basket, before the ledger plan is written: a redelivery that finds a plan does
 * not come here again. Setting 1x twice is harmless (Bybit answers 110043 "not modified", a success).
 *
 * @param rows the symbols' rows already read for this basket (shared with the position-mode
 *   pre-check); read here when absent
 * @returns null when every symbol is at 1x; `{code: EXECUTION.LEVERAGE_NOT_1X, reason}` otherwise
 * @throws TransientExecutionError when the exchange cannot answer (a read, or set-leverage
 *   unavailable): the basket is redelivered on the retry schedule and checks again.
 */
export async function ensureOneXLeverage(
  exchange: ExchangePort,
  symbols: readonly string[],
  legs: Pick<LegExecutor, 'read'>,
  log: Logger,
  rows?: readonly PositionView[],
): Promise<ExecutionFailure | null> {
  const unique = [...new Set(symbols)];
  const before = rows ?? (await legs.read(() => exchange.positionsBySymbol(unique), 'position list by symbol'));
  const decision = decideOneXLeverage(before.map(leverageState));
  if (decision.refused.length > 0) return refuse(decision.refused, log);

  const budget = new RateLimiterQueue(new RateLimiterMemory({ points: SET_LEVERAGE_PER_SECOND, duration: 1 }));
  const details = await Promise.all(
    decision.toSet.map(async (symbol) => {
      await budget.removeTokens(1);
      return setOneX(exchange, symbol, before.find((p) => p.symbol === symbol)?.leverage ?? null, log);
    }),
  );
  const refused: LeverageRefusal[] = decision.toSet.flatMap((symbol, i) => {
    const detail = details[i] ?? null;
    return detail === null ? [] : [{ symbol, kind: 'exchange_refused' as const, detail }];
  });
  const set = decision.toSet.filter((s) => !refused.some((r) => r.symbol === s));
  if (set.length > 0) {
    const after = await legs.read(() => exchange.positionsBySymbol(set), 'position list by symbol (leverage read back)');
    refused.push(...oneXReadBackRefusals(after.map(leverageState)));
  }
  return refused.length > 0 ? refuse(refused, log) : null;
}

/**
 * Sets one symbol to 1x (ccxt `setLeverage`; "not modified" is success) and logs before → after.
 * Shared by the open pre-check and the restore's "set leverage back to 1x" steps.
 * @returns null when the symbol is at 1x; the exchange's refusal (Legwork code, Bybit retCode, message) otherwise
 * @throws TransientExecutionError when the outcome is unavailable (the call is safe to repeat)
 */
export async function setOneX(exchange: ExchangePort, symbol: string, from: string | null, log: Logger): Promise<string | null> {
  const outcome = await exchange.setLeverage(symbol, BASKET_LEVERAGE);
  switch (outcome.kind) {
    case 'set':
    case 'not_modified':
      log.info({ symbol, from, to: BASKET_LEVERAGE, outcome: outcome.kind }, 'leverage set to 1x');
      return null;
    case 'refused':
      log.warn(
        { symbol, from, to: BASKET_LEVERAGE, code: outcome.code, retCode: outcome.retCode, reason: outcome.reason },
        'exchange refused leverage 1x',
      );
      return `${outcome.code}, retCode ${outcome.retCode ?? 'none'}: ${outcome.reason}`;
    case 'unavailable':
      throw new TransientExecutionError(outcome.code, `set leverage ${symbol} to 1x: ${outcome.reason}`);
  }
}

function leverageState(p: PositionView): { symbol: string; leverage: string | null; size: string } {
  return { symbol: p.symbol, leverage: p.leverage, size: p.size };
}

function refuse(refused: LeverageRefusal[], log: Logger): ExecutionFailure {
  const reason = leverageRefusalReason(refused);
  log.warn({ code: LEVERAGE_NOT_1X, symbols: refused.map((r) => r.symbol), reason }, 'basket refused: leverage cannot be 1x');
  return { code: LEVERAGE_NOT_1X, reason };
}
