import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LiveBasket, oppositeDirectionConflicts, PositionMode, resolveLegging } from '@legwork/domain';
import { commandMessage } from '@legwork/messaging';
import { IdentityRepository, IndexRepository, PendingPosition, PositionRecord, PositionRepository, Principal } from '@legwork/persistence';
import { ApplicationError } from '../errors/application-error';
import { acceptedCounter } from '../metrics';
import { Registry } from '@legwork/observability';
import type { OpenPositionBody } from './accept-open-position.schema';
import { OutboxRelay } from '@legwork/outbox';
import { GatewaySettings } from '../gateway.settings';
import { currentRequest } from '../request-context';

/**
 * Accepts an open request: checks the index and the account belong to the caller, then writes
 * the `PENDING` position and its `OpenPosition` command in one transaction (outbox) and wakes
 * the relay. Nothing is published inside the request: a crash after commit loses nothing.
 * The command carries the HTTP request's id (header `X-Request-Id`), and its `commandId` is
 * logged with that id.
 */
@Injectable()
export class AcceptOpenPositionUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly indices: IndexRepository,
    private readonly identity: IdentityRepository,
    private readonly relay: OutboxRelay,
    private readonly settings: GatewaySettings,
    registry: Registry,
  ) {
    this.accepted = acceptedCounter(registry);
  }

  private readonly accepted;

  /**
   * @throws ApplicationError `INDEX.NOT_FOUND` / `ACCOUNT.NOT_FOUND`, `ACCOUNT.NONE` / `ACCOUNT.AMBIGUOUS`,
   *   `POSITION.OPPOSITE_DIRECTION_ONE_WAY` (see {@link refuseOppositeDirection}); PersistenceError `IDEMPOTENCY.KEY_REUSED`
   */
  async execute(
    principal: Principal,
    body: OpenPositionBody,
    key: string | undefined,
  ): Promise<{ position: PositionRecord; replayed: boolean }> {
    const index = await this.indices.find(body.indexId);
    if (!index) throw new ApplicationError('INDEX.NOT_FOUND', `index ${body.indexId} does not exist`, 'indexId');
    const { id: accountId, positionMode } = await this.resolveAccount(principal.userId, body.accountId);
    // Resolved once, here: the position keeps the mode it was accepted with, whatever the defaults become.
    const legging = resolveLegging(body.legging, index.index.defaultLegging, this.settings.defaultLegging);
    const basket = { direction: body.direction, symbols: index.components.map((c) => c.symbol) };
    const pending = await this.positions.beginPending({
      id: randomUUID(),
      userId: principal.userId,
      accountId,
      indexId: body.indexId,
      direction: body.direction,
      notionalUsdt: body.notionalUsdt,
      onPartialFailure: body.onPartialFailure,
      legging,
      positionMode,
      idempotencyKey: key ?? null,
      requestSha256: createHash('sha256')
        // The requested legging only, and only when given: a replay is judged on what was asked, and
        // bodies without it hash as they did before the field existed.
        .update(
          JSON.stringify([
            body.indexId,
            body.notionalUsdt,
            body.direction,
            accountId,
            body.onPartialFailure,
            ...(body.legging ? [body.legging] : []),
          ]),
        )
        .digest('hex'),
    });
    const result =
      pending.kind === 'replayed' ? { position: pending.position, replayed: true } : await this.judgeAndCommit(pending, basket);
    if (!result.replayed) this.relay.kick();
    this.accepted.inc({ outcome: result.replayed ? 'replayed' : 'accepted' });
    return result;
  }

  /**
   * In one-way mode, refuses a basket that would net against a live one (judged under the
   * account's accept lock, so two requests accepted together see each other); then commits the
   * position with its `OpenPosition` command.
   */
  private async judgeAndCommit(
    pending: PendingPosition,
    basket: { direction: 'long' | 'short'; symbols: string[] },
  ): Promise<{ position: PositionRecord; replayed: boolean }> {
    try {
      const mode = pending.input.positionMode;
      if (mode === 'one_way') refuseOppositeDirection(mode, basket, await pending.liveBaskets());
      const request = currentRequest();
      const command = commandMessage(this.relay.namespace, 'OpenPosition', { positionId: pending.input.id }, new Date(), {
        requestId: request?.requestId,
      });
      const committed = await pending.commit(command);
      request?.log.info(
        { positionId: pending.input.id, commandId: command.msgId, commandType: 'OpenPosition' },
        'open position accepted; command queued',
      );
      return committed;
    } finally {
      await pending.end();
    }
  }

  private async resolveAccount(userId: string, requested: string | undefined): Promise<{ id: string; positionMode: PositionMode }> {
    const accounts = await this.identity.accountModes(userId);
    if (requested) {
      const account = accounts.find((a) => a.id === requested);
      if (!account) throw new ApplicationError('ACCOUNT.NOT_FOUND', `account ${requested} not found`, 'accountId');
      return account;
    }
    const [only, ...others] = accounts;
    if (!only) throw new ApplicationError('ACCOUNT.NONE', 'add an exchange account before opening a position', 'accountId');
    if (others.length > 0)
      throw new ApplicationError('ACCOUNT.AMBIGUOUS', 'you have several exchange accounts: give accountId', 'accountId');
    return only;
  }
}

/**
 * One-way mode keeps one net position per symbol: a basket opposite to a live position in a shared
 * symbol would net against it, and unwinding either would take the other's exposure (issue 11).
 * @throws ApplicationError `POSITION.OPPOSITE_DIRECTION_ONE_WAY` naming the positions and symbols.
 */
function refuseOppositeDirection(mode: PositionMode, basket: { direction: 'long' | 'short'; symbols: string[] }, live: LiveBasket[]): void {
  const conflicts = oppositeDirectionConflicts(mode, basket, live);
  if (conflicts.length === 0) return;
  const named = conflicts.map((c) => `${c.direction} position ${c.positionId} (${c.symbols.join(', ')})`).join('; ');
  throw new ApplicationError(
    'POSITION.OPPOSITE_DIRECTION_ONE_WAY',
    `this account is in one-way mode, where a ${basket.direction} basket would net against ${named} on the exchange; ` +
      'close that position first, or use an account in hedge mode (account:add --hedge-mode)',
    'direction',
  );
}
