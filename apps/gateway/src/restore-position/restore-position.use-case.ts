import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { expectedExposure, planLeverageResets, planRestore } from '@legwork/domain';
import { BybitClientFactory, signedSize } from '@legwork/exchange';
import { busNames, OutboxRelay, RestorePositionCommand } from '@legwork/messaging';
import { IdentityRepository, PositionRepository, Principal, RestorePlanRepository, ScanRepository } from '@legwork/persistence';
import { ScanSettings } from '@legwork/scanning';
import { ApiError } from '../http/api-error';
import { SCAN_SETTINGS } from '../http/operator.controller';

const PLAN_TTL_MS = 5 * 60_000;

/**
 * "Restore balance" (seed 000): a preview of the exact trades that bring an altered position back
 * to its recorded components (and of the symbols to set back to 1x, seed 001), then — on confirmation with that plan's id — their execution by the
 * executor with the same exactly-once and verification rules. A plan whose exchange snapshot no
 * longer matches the exchange is refused: the user confirms what they saw, or nothing.
 */
@Injectable()
export class RestorePositionUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly plans: RestorePlanRepository,
    private readonly scans: ScanRepository,
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
    private readonly relay: OutboxRelay,
    @Inject(SCAN_SETTINGS) private readonly settings: ScanSettings,
  ) {}

  /** @throws ApiError 404 `POSITION.NOT_FOUND`, 409 `POSITION.NOT_ACTIVE` */
  async plan(principal: Principal, positionId: string) {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApiError(404, 'POSITION.NOT_FOUND', `position ${positionId} not found`);
    if (position.status !== 'ACTIVE') throw new ApiError(409, 'POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
    const components = await this.positions.components(positionId);
    const symbols = components.map((c) => c.symbol);
    const exchange = await this.exchange(position.accountId);
    const [reports, instruments, prices] = await Promise.all([exchange.positions(symbols), exchange.instrumentRules(symbols), exchange.markPrices(symbols)]);
    const actual = new Map(reports.map((r) => [r.symbol, signedSize(r).toString()]));
    const others = expectedExposure(
      (await this.scans.accountPositions(position.accountId, new Date(), this.settings.orphanGraceMs))
        .filter((p) => p.id !== positionId)
        .map((p) => ({ positionId: p.id, status: p.status, legs: p.legs.map((l) => ({ legIndex: l.legIndex, symbol: l.symbol, side: l.side, quantity: l.quantity, entryPrice: l.entryPrice })) })),
    );
    const toRestore = components.map((c) => ({ legIndex: c.legIndex, symbol: c.symbol, side: c.side, quantity: c.expectedQuantity }));
    const leverageResets = planLeverageResets(toRestore, new Map(reports.filter((r) => r.side !== 'flat').map((r) => [r.symbol, r.leverage])));
    const plan = planRestore(
      toRestore,
      actual,
      new Map([...others].map(([symbol, e]) => [symbol, e.signedQuantity])),
      instruments,
      prices,
    );
    const snapshot = Object.fromEntries(symbols.map((s) => [s, actual.get(s) ?? '0']));
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

  /** @throws ApiError 404, 409 `RESTORE.PLAN_STALE` (the exchange moved since the preview) */
  async execute(principal: Principal, positionId: string, planId: string) {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApiError(404, 'POSITION.NOT_FOUND', `position ${positionId} not found`);
    const plan = await this.plans.find(planId);
    if (!plan || plan.positionId !== positionId) throw new ApiError(404, 'RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`, 'planId');
    const symbols = Object.keys(plan.exchangeSnapshot);
    const reports = await (await this.exchange(position.accountId)).positions(symbols);
    const moved = reports.filter((r) => !signedSize(r).eq(new Decimal(plan.exchangeSnapshot[r.symbol] ?? 0)));
    if (moved.length > 0) {
      await this.plans.finish(planId, 'refused');
      throw new ApiError(
        409,
        'RESTORE.PLAN_STALE',
        `the exchange changed since this plan was made (${moved.map((r) => `${r.symbol}: ${plan.exchangeSnapshot[r.symbol]} then, ${signedSize(r).toString()} now`).join('; ')}); ask for a new plan`,
        'planId',
      );
    }
    const command: RestorePositionCommand = { schemaVersion: 1, type: 'RestorePosition', commandId: randomUUID(), positionId, planId, issuedAt: new Date().toISOString() };
    await this.plans.startExecution(positionId, planId, { msgId: command.commandId, subject: busNames(this.relay.namespace).commandSubject('RestorePosition'), payload: command });
    this.relay.kick();
    return { positionId, planId, status: 'RESTORING', leverageResets: plan.leverageResets, trades: plan.trades };
  }

  private async exchange(accountId: string) {
    const account = await this.identity.findAccount(accountId);
    if (!account) throw new ApiError(404, 'ACCOUNT.NOT_FOUND', `account ${accountId} not found`);
    return this.factory.connect({ accountId, apiKey: account.apiKey, apiSecret: this.identity.revealSecret(account) });
  }
}
