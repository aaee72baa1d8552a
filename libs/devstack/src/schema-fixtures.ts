import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { IdentityRepository, IndexRepository, parseEncryptionKeys, PositionRepository, SecretCipher } from '@legwork/persistence';
import { SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { DEMO_INDEX } from './seed';

/** Who owns the positions a schema-level spec creates. */
export interface PositionOwner {
  userId: string;
  accountId: string;
  indexId: string;
}

/**
 * A user with a one-way `sim` account (a placeholder key of its own, never used on an exchange) and the demo
 * index, written through the repositories: for specs on the real schema without the simulator.
 */
export async function seedPositionOwner(db: DataSource): Promise<PositionOwner> {
  const { active, older } = parseEncryptionKeys(SIM_ONLY_ENCRYPTION_KEYS);
  const identity = new IdentityRepository(db, new SecretCipher(active, older));
  const { user } = await identity.createUser(`owner-${randomUUID()}@example.com`);
  const account = await identity.addAccount({
    userId: user.id,
    exchangeEnv: 'sim',
    apiKey: `k-${randomUUID()}`,
    apiSecret: 's',
    positionMode: 'one_way',
  });
  const index = await new IndexRepository(db).create(`Index ${randomUUID()}`, DEMO_INDEX);
  return { userId: user.id, accountId: account.id, indexId: index.index.id };
}

/** A `PENDING` long position of `owner` (100 USDT, sequential, halt), accepted as the gateway does. @returns its id */
export async function createPendingPosition(db: DataSource, owner: PositionOwner): Promise<string> {
  const id = randomUUID();
  await new PositionRepository(db).createPending(
    {
      id,
      ...owner,
      direction: 'long',
      notionalUsdt: '100',
      onPartialFailure: 'halt',
      legging: 'sequential',
      positionMode: 'one_way',
      idempotencyKey: null,
      requestSha256: '0'.repeat(64),
    },
    { msgId: randomUUID(), subject: 'test.open', payload: { positionId: id } },
  );
  return id;
}
