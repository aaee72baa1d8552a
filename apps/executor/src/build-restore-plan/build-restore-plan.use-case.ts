import { Inject, Injectable } from '@nestjs/common';
import { expectedExposure, hedgeSideOfLeg, planLeverageResets, planRestore, slotKey } from '@legwork/domain';
import { AccountExchangeConnector } from '@legwork/exchange-accounts';
import type { RestorePlanView } from '@legwork/messaging';
import { PositionRepository, RestorePlanRepository, ScanRepository } from '@legwork/persistence';
import { EXECUTOR_SETTINGS, ExecutorSettings } from '../executor.settings';
import { RequestRefusedError } from '../errors/request-refused-error';
import { requestExchange, signedBySlot } from '../restore-position/restore-exchange';

/** How long a proposed plan may be confirmed. */
const PLAN_TTL_MS = 5 * 60_000;

/**
 * "Restore balance" (seed 000), its preview: the exact trades that bring an altered position back
 * to its recorded components, and the symbols to set back to 1x (seed 001), computed from the
 * exchange now and stored as a plan the user can confirm (`StartRestoreUseCase`) until it expires.
 * Asked by the gateway (a bounded request): the executor holds the exchange clients and secrets.
 * Everything is per (symbol, side): on a hedge-mode account the position's own side of each
 * symbol is restored, and the other side (another position) is neither counted nor touched; the
 * account's other positions keep their expected exposure (orphan grace: `orphanGraceMs`).
 */
@Injectable()
export class BuildRestorePlanUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly plans: RestorePlanRepository,
    private readonly scans: ScanRepository,
    private readonly accounts: AccountExchangeConnector,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  /**
   * Sources: the account's position list (sizes and leverages), instrument rules and mark prices,
   * for the position's symbols.
   * @throws RequestRefusedError `POSITION.NOT_FOUND`, `POSITION.NOT_ACTIVE`, `ACCOUNT.NOT_FOUND`, `ACCOUNT.KEY_REFUSED`;
   *   ExchangeUnavailableError / ExchangeRequestRefusedError when the exchange cannot be read
   */
  async execute(positionId: string): Promise<RestorePlanView> {
    const position = await this.positions.findById(positionId);
    if (!position) throw new RequestRefusedError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    if (position.status !== 'ACTIVE')
      throw new RequestRefusedError('POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
    const components = (await this.positions.components(positionId)).map((c) => {
      const hedgeSide = hedgeSideOfLeg(position.positionMode, c.side);
      return { legIndex: c.legIndex, symbol: c.symbol, side: c.side, quantity: c.expectedQuantity, ...(hedgeSide ? { hedgeSide } : {}) };
    });
    const symbols = components.map((c) => c.symbol);
    const exchange = await requestExchange(this.accounts, position.accountId);
    const [reports, instruments, prices] = await Promise.all([
      exchange.positions(symbols),
      exchange.instrumentRules(symbols),
      exchange.markPrices(symbols),
    ]);
    const actual = signedBySlot(reports);
    const others = expectedExposure(
      (await this.scans.accountPositions(position.accountId, new Date(), this.settings.orphanGraceMs))
        .filter((p) => p.id !== positionId)
        .map((p) => ({ positionId: p.id, status: p.status, legs: p.legs })),
    );
    const plan = planRestore(components, actual, new Map([...others].map(([key, e]) => [key, e.signedQuantity])), instruments, prices);
    const leverageResets = planLeverageResets(
      components,
      new Map(reports.filter((r) => r.side !== 'flat').map((r) => [r.symbol, r.leverage])),
    );
    // Keyed by slot (the bare symbol on a one-way account, as plans always were).
    const snapshot = Object.fromEntries(components.map((c) => slotKey(c.symbol, c.hedgeSide)).map((key) => [key, actual.get(key) ?? '0']));
    const stored = await this.plans.propose(positionId, plan.trades, snapshot, PLAN_TTL_MS, leverageResets);
    return {
      planId: stored.id,
      positionId,
      leverageResets,
      trades: plan.trades,
      skipped: plan.skipped,
      exchangePositions: snapshot,
      expiresAt: stored.expiresAt.toISOString(),
    };
  }
}
