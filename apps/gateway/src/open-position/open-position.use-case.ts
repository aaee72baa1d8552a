import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { busNames, OpenPositionCommand, OutboxRelay } from '@legwork/messaging';
import { IdentityRepository, IndexRepository, PositionRecord, PositionRepository, Principal } from '@legwork/persistence';
import { ApiError } from '../http/api-error';
import { acceptedCounter } from '../http/http-metrics';
import { Registry } from '@legwork/observability';
import type { OpenPositionBody } from './open-position.schema';

/**
 * Accepts an open request: checks the index and the account belong to the caller, then writes
 * the `PENDING` position and its `OpenPosition` command in one transaction (outbox) and wakes
 * the relay. Nothing is published inside the request: a crash after commit loses nothing.
 */
@Injectable()
export class AcceptOpenPositionUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly indices: IndexRepository,
    private readonly identity: IdentityRepository,
    private readonly relay: OutboxRelay,
    registry: Registry,
  ) {
    this.accepted = acceptedCounter(registry);
  }

  private readonly accepted;

  /** @throws ApiError 404 `INDEX.NOT_FOUND` / `ACCOUNT.NOT_FOUND`, 400 `ACCOUNT.AMBIGUOUS`; PersistenceError `IDEMPOTENCY.KEY_REUSED` */
  async execute(principal: Principal, body: OpenPositionBody, key: string | undefined): Promise<{ position: PositionRecord; replayed: boolean }> {
    if (!(await this.indices.exists(body.indexId))) throw new ApiError(404, 'INDEX.NOT_FOUND', `index ${body.indexId} does not exist`, 'indexId');
    const accountId = await this.resolveAccount(principal.userId, body.accountId);
    const subject = busNames(this.relay.namespace).commandSubject('OpenPosition');
    const result = await this.positions.createPending(
      {
        userId: principal.userId,
        accountId,
        indexId: body.indexId,
        direction: body.direction,
        notionalUsdt: body.notionalUsdt,
        onPartialFailure: body.onPartialFailure,
        idempotencyKey: key ?? null,
        requestSha256: createHash('sha256')
          .update(JSON.stringify([body.indexId, body.notionalUsdt, body.direction, accountId, body.onPartialFailure]))
          .digest('hex'),
      },
      (positionId) => {
        const command: OpenPositionCommand = {
          schemaVersion: 1,
          type: 'OpenPosition',
          commandId: randomUUID(),
          positionId,
          issuedAt: new Date().toISOString(),
        };
        return { msgId: command.commandId, subject, payload: command };
      },
    );
    if (!result.replayed) this.relay.kick();
    this.accepted.inc({ outcome: result.replayed ? 'replayed' : 'accepted' });
    return result;
  }

  private async resolveAccount(userId: string, requested: string | undefined): Promise<string> {
    const accounts = await this.identity.accountIds(userId);
    if (requested) {
      if (!accounts.includes(requested)) throw new ApiError(404, 'ACCOUNT.NOT_FOUND', `account ${requested} not found`, 'accountId');
      return requested;
    }
    const [only, ...others] = accounts;
    if (!only) throw new ApiError(400, 'ACCOUNT.NONE', 'add an exchange account before opening a position', 'accountId');
    if (others.length > 0) throw new ApiError(400, 'ACCOUNT.AMBIGUOUS', 'you have several exchange accounts: give accountId', 'accountId');
    return only;
  }
}
