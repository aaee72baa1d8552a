import type { InstrumentRules } from '@legwork/domain';
import type { ExchangePort, MaintenanceWindow, PositionView } from '@legwork/exchange';
import type { LegExecutor } from '../leg-execution/leg-executor';

/** What a basket's pre-checks read from the exchange, each read already under way. */
export interface PreCheckReads {
  /** GET /v5/system/status (ExchangePort.maintenanceWindows). */
  maintenance: Promise<MaintenanceWindow[]>;
  /** Instrument rules (GET /v5/market/instruments-info) and mark prices (GET /v5/market/tickers) of the index's symbols. */
  marketData: Promise<[Map<string, InstrumentRules>, Map<string, string>]>;
  /** Every symbol's position rows, flat ones included (GET /v5/position/list?symbol=, one per symbol). */
  rows: Promise<PositionView[]>;
  /** Available balance in USDT (GET /v5/account/wallet-balance). */
  availableBalanceUsdt: Promise<string>;
}

/**
 * Starts every read of a basket's whole-basket pre-checks at once: the exchange answers them in
 * one round trip instead of four in a row (issue 17: the trader's decision price ages while the
 * pre-checks run). They only read; what they decide is still decided in the checks' order
 * (maintenance, composition, position mode, margin, then 1x leverage, the one write), so a basket
 * refused by an earlier check is refused for that reason whatever a later read answered — a read
 * still under way or failed when a check refuses is left unawaited (its failure is not reported).
 * @param symbols the index's symbols (its components)
 * @returns the reads; awaiting one throws TransientExecutionError when the exchange could not answer it (LegExecutor.read)
 */
export function startPreCheckReads(exchange: ExchangePort, reads: Pick<LegExecutor, 'read'>, symbols: readonly string[]): PreCheckReads {
  const unique = [...new Set(symbols)];
  const started: PreCheckReads = {
    maintenance: reads.read(() => exchange.maintenanceWindows(), 'system status'),
    marketData: reads.read(() => Promise.all([exchange.instrumentRules(unique), exchange.markPrices(unique)]), 'market data'),
    rows: reads.read(() => exchange.positionsBySymbol(unique), 'position list by symbol'),
    availableBalanceUsdt: reads.read(() => exchange.availableBalance(), 'wallet balance'),
  };
  // Each is awaited where its check runs; one left behind by an earlier refusal must not be an unhandled rejection.
  for (const read of Object.values(started) as Promise<unknown>[]) read.catch(() => undefined);
  return started;
}
