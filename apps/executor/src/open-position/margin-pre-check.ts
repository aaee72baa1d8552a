import type { Logger } from 'pino';
import { basketMarginRefusalReason, decideBasketMargin, INSUFFICIENT_MARGIN, MarginLeg } from '@legwork/domain';
import type { ExecutionFailure } from '../errors/execution-error-codes';

/**
 * Refuses a basket, before its first order, when the account's available balance cannot carry
 * ALL its legs at 1x plus the fee buffer (issue 17; the rule, the fee buffer and the reason:
 * `decideBasketMargin` in libs/domain/src/pre-checks). Seed 000's example of a halt —
 * insufficient margin part-way through a basket — becomes a refusal before leg 1, nothing held.
 *
 * One read: GET /v5/account/wallet-balance (ExchangePort.availableBalance, started with the other
 * pre-check reads: startPreCheckReads). Run once per basket,
 * before the ledger plan is written; the exchange still has the last word on each order (a leg
 * refused with 110007 after the check still halts the basket as before).
 *
 * @param balance the account's available balance in USDT as read; awaiting it throws
 *   TransientExecutionError when the balance cannot be read (never read as "enough")
 * @param legs each leg's estimated notional at its planning mark price (USDT)
 * @returns null when the basket fits; `{code: EXECUTION.INSUFFICIENT_MARGIN, reason}` naming each leg that would not fit
 */
export async function checkBasketMargin(
  balance: Promise<string>,
  legs: readonly MarginLeg[],
  log: Logger,
): Promise<ExecutionFailure | null> {
  const availableBalanceUsdt = await balance;
  const decision = decideBasketMargin({ legs, availableBalanceUsdt });
  if (decision.refused.length === 0) {
    log.info({ requiredUsdt: decision.requiredUsdt, availableBalanceUsdt }, 'basket margin pre-check passed');
    return null;
  }
  const reason = basketMarginRefusalReason(decision);
  log.warn({ code: INSUFFICIENT_MARGIN, refused: decision.refused, reason }, 'basket refused: insufficient available balance');
  return { code: INSUFFICIENT_MARGIN, reason };
}
