import { DomainError } from '../errors/domain-error';
import { Dec, compareText, decimalString, parseUnsigned } from './decimal-input';

/**
 * The account's position in one symbol as the exchange reports it (one-way mode: at most one
 * position per symbol). `size` is absolute, base coin, decimal string; `markPrice` USDT or null.
 * A `flat` report has size 0; `long`/`short` with size 0 is read as flat too (Bybit lists every
 * symbol ever traded, with size 0, and the mapper may keep the last side).
 */
export interface ExchangePositionReport {
  symbol: string;
  side: 'long' | 'short' | 'flat';
  size: string;
  markPrice: string | null;
}

/** One symbol after duplicates are collapsed: signed size (+ long / − short / 0 flat). */
export interface ActualExposure {
  symbol: string;
  signedSize: string;
  /** Null when no copy had one, or when the copies disagreed (a tick is not worth a guess). */
  markPrice: string | null;
}

/**
 * Collapses the exchange's report list to one signed size per symbol.
 *
 * Rule for duplicates: the same symbol listed more than once (a page fetched twice, a retried
 * request merged in) is ONE position when every copy states the same exposure — side and size
 * compared as numbers, so `"0.10"` equals `"0.1"` and a size-0 `long` equals `flat`. Copies that
 * state different exposures cannot both be true in one-way mode (two sides would mean hedge mode
 * was switched on by hand): nothing can be reconciled honestly, so it throws. Mark prices do not
 * take part in that comparison; copies with different mark prices keep `markPrice: null`.
 *
 * Output is sorted by symbol and does not depend on the order of `reports`.
 *
 * @throws DomainError `RECONCILIATION.CONFLICTING_REPORTS` (details: symbol, sizes) for copies of
 *   one symbol that disagree; `RECONCILIATION.INVALID_INPUT` for an empty symbol, an unknown side,
 *   a size that is not a non-negative decimal, `flat` with a size above 0, or a bad mark price.
 */
export function actualExposure(reports: readonly ExchangePositionReport[]): Map<string, ActualExposure> {
  const bySymbol = new Map<string, { signed: Dec; marks: Set<string>; copies: string[] }>();
  for (const report of reports) {
    const signed = signedReportSize(report);
    const mark = report.markPrice === null ? null : parseUnsigned(report.markPrice, `mark price of ${report.symbol}`, 'RECONCILIATION.INVALID_INPUT');
    const entry = bySymbol.get(report.symbol);
    if (entry && !entry.signed.eq(signed)) {
      throw new DomainError(
        'RECONCILIATION.CONFLICTING_REPORTS',
        `the exchange reported ${report.symbol} twice with different positions: ${entry.copies[0]} and ${describe(report)}`,
        { symbol: report.symbol, reported: [...entry.copies, describe(report)] },
      );
    }
    const next = entry ?? { signed, marks: new Set<string>(), copies: [] };
    if (mark) next.marks.add(decimalString(mark));
    next.copies.push(describe(report));
    bySymbol.set(report.symbol, next);
  }
  const result = new Map<string, ActualExposure>();
  for (const symbol of [...bySymbol.keys()].sort(compareText)) {
    const { signed, marks } = bySymbol.get(symbol) as { signed: Dec; marks: Set<string> };
    const [onlyMark] = marks;
    result.set(symbol, { symbol, signedSize: decimalString(signed), markPrice: marks.size === 1 && onlyMark ? onlyMark : null });
  }
  return result;
}

/** `long` 0.05 → +0.05, `short` 0.05 → −0.05, `flat` → 0. @throws as {@link actualExposure}. */
function signedReportSize(report: ExchangePositionReport): Dec {
  if (!report.symbol) {
    throw new DomainError('RECONCILIATION.INVALID_INPUT', 'an exchange report has no symbol', { report });
  }
  const size = parseUnsigned(report.size, `size of ${report.symbol}`, 'RECONCILIATION.INVALID_INPUT');
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
