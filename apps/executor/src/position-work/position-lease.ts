import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { leaseOwnerOf, type PositionStatus } from '@legwork/domain';
import { PersistenceError, PositionRecord, PositionRepository } from '@legwork/persistence';
import { EXECUTOR_SETTINGS, ExecutorSettings } from '../executor.settings';
import { LeaseLostError } from '../leg-execution/transient-error';

/** Which delivery of which message is working; a redelivery of the same message may take over. */
export interface Delivery {
  streamSequence: number;
  deliveryCount: number;
}

export type LeaseOutcome<T> = { kind: 'ran'; result: T } | { kind: 'already_settled' | 'duplicate' | 'lease_lost' };

/** A lease held on a position for one unit of work. */
export interface Lease {
  owner: string;
  /** Extends the lease; throws {@link LeaseLostError} when another delivery took it over. */
  renew(): Promise<void>;
  /**
   * Extends the lease inside `read`, one statement that renews as it reads (e.g.
   * OrderLedgerRepository.listRenewingLease): `read` gets the owner and the new expiry and says
   * whether the lease was still held. @returns what `read` read; throws as {@link renew} does.
   */
  renewWithin<T extends { leaseHeld: boolean }>(read: (lease: { owner: string; expiresAt: Date }) => Promise<T>): Promise<T>;
}

/**
 * Runs work on a position under its lease, so that one message delivery at a time works on it:
 * a true duplicate (another message, live lease) is discarded; a redelivery of the same message
 * after its holder died takes over and resumes; a stale delivery that lost the lease stops.
 */
@Injectable()
export class PositionLease {
  constructor(
    private readonly positions: PositionRepository,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  async run<T>(
    positionId: string,
    statuses: { start?: PositionStatus; working: PositionStatus },
    delivery: Delivery,
    log: Logger,
    work: (position: PositionRecord, lease: Lease) => Promise<T>,
  ): Promise<LeaseOutcome<T>> {
    const owner = leaseOwnerOf(delivery, this.settings.instanceId);
    const claim = await this.positions.claim(positionId, statuses, owner, this.settings.leaseMs);
    if (claim.kind === 'missing') throw new PersistenceError('POSITION.NOT_FOUND', `position ${positionId} does not exist`);
    if (claim.kind === 'not_executable') {
      log.info({ status: claim.position.status }, 'position not in a state this command works on; discarded');
      return { kind: 'already_settled' };
    }
    if (claim.kind === 'owned_elsewhere') {
      log.info({ holder: claim.position.leaseOwner }, 'another delivery owns this work; duplicate discarded');
      return { kind: 'duplicate' };
    }
    log.info({ claim: claim.kind, owner, ...(claim.kind === 'resumed' ? { previousOwner: claim.previousOwner } : {}) }, 'position claimed');
    let lost = false;
    const held = (stillHeld: boolean) => {
      if (lost || !stillHeld) {
        lost = true;
        throw new LeaseLostError(positionId);
      }
    };
    const renew = async () => held(!lost && (await this.positions.renewLease(positionId, owner, this.settings.leaseMs)));
    const lease: Lease = {
      owner,
      renew,
      renewWithin: async (read) => {
        const result = await read({ owner, expiresAt: new Date(Date.now() + this.settings.leaseMs) });
        held(result.leaseHeld);
        return result;
      },
    };
    // Renewed in the background too: one leg's verification may outlast the lease (a 6 s position
    // lag against a 5 s lease), and an expired lease would let a duplicate command take over.
    // A failed background renewal is not lost: it marks the lease lost, and the next explicit
    // renew() (before each leg) stops the work.
    const keepAlive = setInterval(() => void renew().catch(() => undefined), Math.max(100, Math.floor(this.settings.leaseMs / 3)));
    try {
      return { kind: 'ran', result: await work(claim.position, lease) };
    } catch (error) {
      if (error instanceof LeaseLostError || (error instanceof PersistenceError && error.code === 'POSITION.LEASE_LOST')) {
        log.warn('lease taken over by another delivery; stopping');
        return { kind: 'lease_lost' };
      }
      throw error;
    } finally {
      clearInterval(keepAlive);
    }
  }
}
