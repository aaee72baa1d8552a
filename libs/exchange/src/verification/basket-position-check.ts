import Decimal from 'decimal.js';
import type { HedgeSide, LegSide } from '@legwork/domain';
import type { ExchangePort, ExecutionView } from '../exchange.port';
import { positionSlot } from '../exchange.port';
import { signedSize } from '../bybit/bybit-mapping';
import type { VerificationSettings, VerifierClock } from './fill-verifier';
import { realVerifierClock } from './fill-verifier';
import { pollWithBackoff } from './polling';

/** One filled leg of a basket, as its order and executions confirmed it. */
export interface FilledLegToCheck {
  legIndex: number;
  symbol: string;
  side: LegSide;
  hedgeSide: HedgeSide | null;
  /** Confirmed filled quantity, base coin, decimal string. */
  filledQuantity: string;
  /** Signed size of the leg's slot recorded before the basket sent it (long +, short −); null when unknown. */
  sizeBefore: string | null;
  /** When the leg was sent: executions by the exchange after it on this symbol are examined. */
  sentAt: Date;
}

/** What the basket's position check found for one leg. */
export type LegPositionCheck =
  /** The position moved by the leg's fill; `lagMs` from the start of the check. */
  | { legIndex: number; outcome: 'visible'; lagMs: number }
  /** Not shown by the timeout (exchange lag): the fill is real all the same (seed 003). */
  | { legIndex: number; outcome: 'not_visible' }
  /** The exchange itself closed the position after the fill (liquidation, ADL, bust). */
  | { legIndex: number; outcome: 'closed_by_exchange'; closingExecutions: ExecutionView[] };

/**
 * The position-size check of a whole basket, once at its end (issue 17, `sequential` legging):
 * one position-list call per poll for every leg's symbol, against the sizes recorded before the
 * basket, with exponential backoff until every leg's slot moved by its fill or `timeoutMs` passed.
 * A leg not shown by then is `not_visible` — never "not filled": its order and executions already
 * confirmed the fill. A slot that moved otherwise is checked for executions by which the exchange
 * closed it (funding is no such execution). Read failures are not evidence; polling goes on.
 * A leg with no recorded size before (`sizeBefore` null) cannot be checked: `not_visible`.
 */
export async function checkBasketPositions(
  exchange: Pick<ExchangePort, 'positions' | 'executions'>,
  legs: readonly FilledLegToCheck[],
  settings: VerificationSettings,
  clock: VerifierClock = realVerifierClock,
): Promise<LegPositionCheck[]> {
  const start = clock.now();
  const found = new Map<number, LegPositionCheck>();
  for (const leg of legs) if (leg.sizeBefore === null) found.set(leg.legIndex, { legIndex: leg.legIndex, outcome: 'not_visible' });
  const symbols = [...new Set(legs.map((l) => l.symbol))];
  await pollWithBackoff(settings, clock, async () => {
    if (found.size === legs.length) return true;
    const views = await exchange.positions(symbols);
    for (const leg of legs) {
      if (found.has(leg.legIndex)) continue;
      const delta = signedSize(positionSlot(views, leg.symbol, leg.hedgeSide)).minus(leg.sizeBefore ?? 0);
      const expected = new Decimal(leg.filledQuantity).mul(leg.side === 'buy' ? 1 : -1);
      if (delta.eq(expected)) {
        found.set(leg.legIndex, { legIndex: leg.legIndex, outcome: 'visible', lagMs: clock.now() - start });
        continue;
      }
      // Funding settled since the order moved no position: never "closed by the exchange".
      const closing = (await exchange.executions(leg.symbol, { since: leg.sentAt })).filter((e) => e.kind === 'exchange_close');
      if (closing.length > 0)
        found.set(leg.legIndex, { legIndex: leg.legIndex, outcome: 'closed_by_exchange', closingExecutions: closing });
    }
    return found.size === legs.length ? true : null;
  });
  return legs.map((leg) => found.get(leg.legIndex) ?? { legIndex: leg.legIndex, outcome: 'not_visible' });
}
