import { DomainError } from '../errors/domain-error';
import { Dec, compareText, decimalString, parseUnsigned } from './decimal-input';
import type { HedgeSide } from '../position-mode/position-mode';
import { assertHedgeSide, slotKey, slotLabel } from './position-slot';

/**
 * The account's position in one slot as the exchange reports it: one-way mode keeps at most one
 * position per symbol (`hedgeSide` absent or null), hedge mode one per symbol and side
 * (`hedgeSide` `long` / `short`). `size` is absolute, base coin, decimal string; `markPrice` USDT
 * or null. A `flat` report has size 0; `long`/`short` with size 0 is read as flat too (Bybit lists
 * every symbol ever traded, with size 0, and the mapper may keep the last side).
 */
export interface ExchangePositionReport {
  symbol: string;
  side: 'long' | 'short' | 'flat';
  size: string;
  markPrice: string | null;
  hedgeSide?: HedgeSide | null;
}

/** One slot after duplicates are collapsed: signed size (+ long / − short / 0 flat). */
export interface ActualExposure {
  symbol: string;
  /** Null in one-way mode. */
  hedgeSide: HedgeSide | null;
  signedSize: string;
  /** Null when no copy had one, or when the copies disagreed (a tick is not worth a guess). */
  markPrice: string | null;
}

/**
 * Collapses the exchange's report list to one signed size per slot.
 *
 * Rule for duplicates: the same slot listed more than once (a page fetched twice, a retried
 * request merged in) is ONE position when every copy states the same exposure — side and size
 * compared as numbers, so `"0.10"` equals `"0.1"` and a size-0 `long` equals `flat`. Copies of one
 * slot that state different exposures cannot both be true (in one-way mode, two sides in a symbol
 * would mean hedge mode was switched on by hand): nothing can be reconciled honestly, so it
 * throws. Two rows of one symbol on DIFFERENT hedge sides are two positions, not a conflict. Mark
 * prices do not take part in that comparison; copies with different mark prices keep
 * `markPrice: null`.
 *
 * Output is keyed by `slotKey` (the symbol in one-way mode), sorted by key, and does not depend
 * on the order of `reports`.
 *
 * @throws DomainError `RECONCILIATION.CONFLICTING_REPORTS` (details: symbol, hedgeSide, sizes) for
 *   copies of one slot that disagree; `RECONCILIATION.INVALID_INPUT` for an empty symbol, an
 *   unknown side or hedge side, a position pointing against its hedge side (short on the long
 *   side), a size that is not a non-negative decimal, `flat` with a size above 0, or a bad mark price.
 */
export function actualExposure(reports: readonly ExchangePositionReport[]): Map<string, ActualExposure> {
  const bySlot = new Map<string, { report: ExchangePositionReport; signed: Dec; marks: Set<string>; copies: string[] }>();
  for (const report of reports) {
    const signed = signedReportSize(report);
    const label = slotLabel(report.symbol, report.hedgeSide);
    const mark =
      report.markPrice === null ? null : parseUnsigned(report.markPrice, `mark price of ${label}`, 'RECONCILIATION.INVALID_INPUT');
    const key = slotKey(report.symbol, report.hedgeSide);
    const entry = bySlot.get(key);
    if (entry && !entry.signed.eq(signed)) {
      throw new DomainError(
        'RECONCILIATION.CONFLICTING_REPORTS',
        `the exchange reported ${label} twice with different positions: ${entry.copies[0]} and ${describe(report)}`,
        {
          symbol: report.symbol,
          ...(report.hedgeSide ? { hedgeSide: report.hedgeSide } : {}),
          reported: [...entry.copies, describe(report)],
        },
      );
    }
    const next = entry ?? { report, signed, marks: new Set<string>(), copies: [] };
    if (mark) next.marks.add(decimalString(mark));
    next.copies.push(describe(report));
    bySlot.set(key, next);
  }
  const result = new Map<string, ActualExposure>();
  for (const key of [...bySlot.keys()].sort(compareText)) {
    const { report, signed, marks } = bySlot.get(key) as { report: ExchangePositionReport; signed: Dec; marks: Set<string> };
    const [onlyMark] = marks;
    result.set(key, {
      symbol: report.symbol,
      hedgeSide: report.hedgeSide ?? null,
      signedSize: decimalString(signed),
      markPrice: marks.size === 1 && onlyMark ? onlyMark : null,
    });
  }
  return result;
}

/** `long` 0.05 → +0.05, `short` 0.05 → −0.05, `flat` → 0. @throws as {@link actualExposure}. */
function signedReportSize(report: ExchangePositionReport): Dec {
  if (!report.symbol) {
    throw new DomainError('RECONCILIATION.INVALID_INPUT', 'an exchange report has no symbol', { report });
  }
  const size = parseUnsigned(report.size, `size of ${slotLabel(report.symbol, report.hedgeSide)}`, 'RECONCILIATION.INVALID_INPUT');
  const signed = signedBySide(report, size);
  assertHedgeSide(report.hedgeSide, signed.isZero() ? 'flat' : signed.isNegative() ? 'short' : 'long', `the exchange's ${report.symbol}`);
  return signed;
}

function signedBySide(report: ExchangePositionReport, size: Dec): Dec {
  switch (report.side) {
    case 'long':
      return size;
    case 'short':
      return size.neg();
    case 'flat':
      if (!size.isZero()) {
        throw new DomainError('RECONCILIATION.INVALID_INPUT', `${report.symbol} is reported flat with size ${report.size}`, { report });
      }
      return new Dec(0);
    default:
      throw new DomainError('RECONCILIATION.INVALID_INPUT', `${report.symbol} has unknown side ${String(report.side)}`, { report });
  }
}

function describe(report: ExchangePositionReport): string {
  return `${report.side} ${report.size}`;
}
