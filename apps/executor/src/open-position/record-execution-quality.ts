import type { Logger } from 'pino';
import { executionQuality, Legging } from '@legwork/domain';
import { openBasketQualityLegs, OrderLedgerRepository, OrderRecord } from '@legwork/persistence';
import type { ExecutorMetrics } from '../metrics';

/**
 * Exports an ACTIVE open basket's execution quality (`executionQuality`, libs/domain) as the
 * histograms `basket_legging_window_seconds{mode}`, `leg_slippage_bps` (one observation per
 * filled leg) and `basket_implementation_shortfall_bps`, from the legs' arrival mark prices and
 * their fills as recorded (`trades`, one read).
 *
 * Called after the position is ACTIVE: a failure here (the read, a malformed row) must not turn
 * a settled basket into a retried command, so it is logged at warn with the error and the
 * histograms miss that basket. A basket resumed after a crash between ACTIVE and this call is
 * not observed (the command is then already settled).
 */
export async function recordExecutionQuality(
  ledger: OrderLedgerRepository,
  metrics: ExecutorMetrics,
  position: { id: string; legging: Legging },
  legs: readonly OrderRecord[],
  log: Logger,
): Promise<void> {
  try {
    const qualityLegs = openBasketQualityLegs(legs, await ledger.trades(position.id));
    if (!qualityLegs) return;
    const quality = executionQuality(qualityLegs);
    for (const leg of quality.legs) if (leg.slippageBps !== null) metrics.legSlippage.observe(Number(leg.slippageBps));
    if (quality.implementationShortfallBps !== null) metrics.implementationShortfall.observe(Number(quality.implementationShortfallBps));
    if (quality.leggingWindowMs !== null) metrics.leggingWindow.observe({ mode: position.legging }, quality.leggingWindowMs / 1000);
    log.info(
      {
        implementationShortfallBps: quality.implementationShortfallBps,
        leggingWindowMs: quality.leggingWindowMs,
        legging: position.legging,
      },
      'basket execution quality',
    );
  } catch (error) {
    log.warn({ err: error }, 'execution quality of the basket not recorded in metrics');
  }
}
