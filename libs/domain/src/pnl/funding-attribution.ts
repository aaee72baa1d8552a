import type { LegSide } from '../composition/compose-basket';
import { Dec, decimalString, parseSigned, parseUnsigned } from '../reconciliation/decimal-input';

/**
 * Funding attribution: the exchange settles funding per exchange position — per (account, symbol)
 * on a one-way account, per (account, symbol, side) on a hedge-mode one — not per basket. This
 * module splits each settlement among the Legwork positions that held part of that exchange
 * position when it was settled.
 *
 * The rule: a position that held `q` of the symbol on the settled side at the settlement time gets
 * `q / max(S, Σq)` of the funding, S being the exchange position's size the funding was charged on
 * and Σq what all holders on that side held. So each position gets exactly its share of the
 * exchange position; exposure no position explains (an orphan, a manual trade) keeps its own part
 * (unattributed); and when the positions expect more than the exchange held (reduced by hand), the
 * funding is split by their quantities and never over-attributed. In one-way mode every position
 * in a symbol has the same direction (an opposite basket is refused), so "the settled side" is
 * the symbol's one position; in hedge mode the long and short sides are settled separately.
 */

/** One funding settlement on an exchange position, as the exchange reports it. Decimal strings. */
export interface FundingSettlement {
  /** The exchange's id of the settlement (Bybit `execId`). */
  settlementId: string;
  symbol: string;
  /** The side of the exchange position charged: `buy` long, `sell` short. */
  side: LegSide;
  /** The exchange position's size the funding was charged on (base coin, > 0). */
  positionSize: string;
  /** Funding paid in USDT: positive paid, negative received (the exchange's fee sign). */
  feeUsdt: string;
  fundingRate: string;
  settledAt: Date;
}

/** What one position held of a symbol on one side, and since when. */
export interface FundingHolder {
  positionId: string;
  symbol: string;
  side: LegSide;
  /** Held quantity (base coin, decimal string). */
  quantity: string;
  /** When the position's leg was filled: settlements before it are not the position's. */
  heldSince: Date;
}

/** One position's part of one settlement. */
export interface FundingShare {
  settlementId: string;
  positionId: string;
  symbol: string;
  side: LegSide;
  /** What the position held, and the exchange position's size: its share is their ratio (capped, see above). */
  heldQuantity: string;
  positionSize: string;
  fundingRate: string;
  /** The position's part as P&L, USDT, 8 decimals: negative paid, positive received. */
  fundingUsdt: string;
  settledAt: Date;
}

/** Money out is rounded to 8 decimals (Bybit's finest USDT unit). */
const USDT_DECIMALS = 8;

/**
 * Splits each settlement among the positions that held its (symbol, side) at its time (see the
 * module comment for the rule). Settlements no position held get no share.
 * @throws DomainError `FUNDING.INVALID_INPUT` for a size or quantity that is not a decimal (size > 0),
 *   or a fee or rate that is not a signed decimal.
 */
export function attributeFunding(settlements: readonly FundingSettlement[], holders: readonly FundingHolder[]): FundingShare[] {
  const shares: FundingShare[] = [];
  for (const s of settlements) {
    const size = parseUnsigned(s.positionSize, `positionSize of ${s.settlementId}`, 'FUNDING.INVALID_INPUT', true);
    const fee = parseSigned(s.feeUsdt, `feeUsdt of ${s.settlementId}`, 'FUNDING.INVALID_INPUT');
    parseSigned(s.fundingRate, `fundingRate of ${s.settlementId}`, 'FUNDING.INVALID_INPUT');
    const held = holders
      .filter((h) => h.symbol === s.symbol && h.side === s.side && h.heldSince.getTime() <= s.settledAt.getTime())
      .map((h) => ({ h, q: parseUnsigned(h.quantity, `quantity of ${h.positionId} ${h.symbol}`, 'FUNDING.INVALID_INPUT') }))
      .filter(({ q }) => q.gt(0));
    const total = held.reduce((sum, { q }) => sum.plus(q), new Dec(0));
    const base = Dec.max(size, total);
    for (const { h, q } of held) {
      shares.push({
        settlementId: s.settlementId,
        positionId: h.positionId,
        symbol: s.symbol,
        side: s.side,
        heldQuantity: decimalString(q),
        positionSize: decimalString(size),
        fundingRate: s.fundingRate,
        fundingUsdt: decimalString(fee.times(q).div(base).neg().toDecimalPlaces(USDT_DECIMALS)),
        settledAt: s.settledAt,
      });
    }
  }
  return shares;
}
