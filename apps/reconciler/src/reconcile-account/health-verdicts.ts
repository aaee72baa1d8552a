import type { ScanVerdict } from '@legwork/scanning';
import type { ReconcileResult } from './reconcile-account.use-case';

/**
 * The position verdicts one reconciliation changed, as log lines: `position ALTERED` (with each
 * deviating symbol's expected and actual size, and leverage deviations) and `position IN_SYNC`. A
 * position whose health did not change is not logged again.
 */
export function healthVerdicts(result: ReconcileResult): ScanVerdict[] {
  return result.positions
    .filter((p) => p.health !== p.previous)
    .map((p) =>
      p.health === 'ALTERED'
        ? {
            level: 'warn' as const,
            message: 'position ALTERED',
            fields: {
              positionId: p.positionId,
              from: p.previous,
              to: p.health,
              deviations: p.deviations.map((d) => ({ symbol: d.symbol, expected: d.expected, actual: d.actual })),
              leverage: p.leverageDeviations.map((l) => ({ symbol: l.symbol, expected: l.expectedLeverage, actual: l.actualLeverage })),
            },
          }
        : { level: 'info' as const, message: 'position IN_SYNC', fields: { positionId: p.positionId, from: p.previous, to: p.health } },
    );
}
