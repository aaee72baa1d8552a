/**
 * The floor's work for one OpenPosition command, shared by the two plain transports of the
 * command-to-ACTIVE benchmark (bench/floor-executor.ts on JetStream, bench/bullmq-executor.ts on
 * BullMQ), so that both do, to the statement, the same database writes and the same exchange
 * calls as the executor: claim, plan, per leg (under the account's advisory lock on the leg's
 * symbol, as OrderLedgerRepository.withSymbolLock: position size, submit mark, order,
 * verification reads, fills, filled mark), components and ACTIVE — with no framework around
 * them: no NestJS, no TypeORM, no lease renewal, no metrics.
 *
 * Invariant: only a `PENDING` position is worked on (the claim is a conditional UPDATE), so a
 * second delivery of a command whose first delivery claimed it does nothing and succeeds.
 */
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { composeBasket } from '@legwork/domain';
import { BybitClientFactory, encodeOrderLinkId, signedSize, verifyFill } from '@legwork/exchange';
import { createRegistry, SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

/** Executes OpenPosition commands; `close` ends its database pool. */
export interface BasketWork {
  /** Takes the `PENDING` position to ACTIVE (or does nothing if it is not PENDING). @throws Error when a leg is not filled */
  execute(positionId: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds the floor's per-basket work over its own pool (10 connections) and exchange client factory. */
export function createBasketWork(options: { databaseUrl: string; simUrl: string; name: string }): BasketWork {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const cipher = new SecretCipher(parseEncryptionKeys(SIM_ONLY_ENCRYPTION_KEYS).active);
  const factory = new BybitClientFactory(
    { env: 'sim', simUrl: options.simUrl, requestTimeoutMs: 10_000, ipRequestsPer5s: 1e9 },
    createRegistry(options.name),
  );
  const tx = async <T>(fn: (c: PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (error) {
      await c.query('ROLLBACK');
      throw error;
    } finally {
      c.release();
    }
  };

  // The executor's per-leg lock: legs of one account in one symbol one at a time, or a concurrent
  // fill blurs the position-size check and the verification waits out its timeout.
  const withSymbolLock = async <T>(accountId: string, symbol: string, work: () => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`leg:${accountId}:${symbol}`]);
      try {
        return await work();
      } finally {
        await c.query('COMMIT').catch(() => undefined);
      }
    } finally {
      c.release();
    }
  };

  const execute = async (positionId: string) => {
    const claimed = await tx(async (c) => {
      const { rows } = await c.query(
        `UPDATE synthetic_positions SET status = 'EXECUTING', version = version + 1 WHERE id = $1 AND status = 'PENDING' RETURNING *`,
        [positionId],
      );
      if (rows[0])
        await c.query(`INSERT INTO position_status_changes (position_id, from_status, to_status) VALUES ($1, 'PENDING', 'EXECUTING')`, [
          positionId,
        ]);
      return rows[0] as { account_id: string; index_id: string; notional_usdt: string; direction: 'long' | 'short' } | undefined;
    });
    if (!claimed) return;
    const account = (await pool.query('SELECT * FROM exchange_accounts WHERE id = $1', [claimed.account_id])).rows[0];
    const exchange = await factory.connect({
      accountId: account.id,
      apiKey: account.api_key,
      apiSecret: cipher.open({ keyId: account.encryption_key_id, ciphertext: account.api_secret_ciphertext }),
    });
    const components = (
      await pool.query('SELECT symbol, weight FROM index_components WHERE index_id = $1 ORDER BY ordinal', [claimed.index_id])
    ).rows as { symbol: string; weight: string }[];
    const symbols = components.map((c) => c.symbol);
    const [instruments, markPrices] = await Promise.all([exchange.instrumentRules(symbols), exchange.markPrices(symbols)]);
    const legs = composeBasket({
      weights: components,
      notionalUsdt: claimed.notional_usdt,
      direction: claimed.direction,
      instruments,
      markPrices,
    });
    const orderIds = legs.map(() => randomUUID());
    await tx(async (c) => {
      for (const [i, leg] of legs.entries()) {
        await c.query(
          `INSERT INTO orders (id, position_id, account_id, purpose, attempt, leg_index, order_link_id, symbol, side, quantity, planned_mark_price, status) VALUES ($1, $2, $3, 'open', 0, $4, $5, $6, $7, $8, $9, 'PLANNED')`,
          [
            orderIds[i],
            positionId,
            account.id,
            leg.legIndex,
            encodeOrderLinkId({ ownerId: positionId, purpose: 'open', attempt: 0, legIndex: leg.legIndex }),
            leg.symbol,
            leg.side,
            leg.quantity,
            leg.markPrice,
          ],
        );
      }
    });
    const filled: { legIndex: number; symbol: string; side: string; qty: string; price: string }[] = [];
    for (const [i, leg] of legs.entries()) {
      const verdict = await withSymbolLock(account.id, leg.symbol, async () => {
        const orderLinkId = encodeOrderLinkId({ ownerId: positionId, purpose: 'open', attempt: 0, legIndex: leg.legIndex });
        const [before] = await exchange.positions([leg.symbol]);
        await pool.query(
          `UPDATE orders SET status = 'SUBMITTED', submit_count = submit_count + 1, position_size_before = $2, submitted_at = now() WHERE id = $1`,
          [orderIds[i], signedSize(before).toString()],
        );
        const placed = await exchange.placeMarketOrder({
          symbol: leg.symbol,
          side: leg.side,
          quantity: leg.quantity,
          orderLinkId,
          reduceOnly: false,
        });
        if (placed.kind !== 'accepted') throw new Error(`floor: leg not accepted: ${JSON.stringify(placed)}`);
        await pool.query('UPDATE orders SET exchange_order_id = $2 WHERE id = $1', [orderIds[i], placed.exchangeOrderId]);
        const verdict = await verifyFill(
          exchange,
          { symbol: leg.symbol, orderLinkId, side: leg.side, sizeBefore: signedSize(before).toString(), sentAt: new Date() },
          { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 },
        );
        if (verdict.outcome !== 'filled_visible' && verdict.outcome !== 'filled_not_visible') throw new Error(`floor: ${verdict.outcome}`);
        await tx(async (c) => {
          for (const f of verdict.fill.fills) {
            await c.query(
              `INSERT INTO trades (id, order_id, position_id, exec_id, exchange_order_id, symbol, side, price, quantity, fee, fee_currency, executed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
              [
                randomUUID(),
                orderIds[i],
                positionId,
                f.execId,
                f.exchangeOrderId,
                leg.symbol,
                leg.side,
                f.price,
                f.quantity,
                f.fee,
                f.feeCurrency,
                f.executedAt,
              ],
            );
          }
          await c.query(`UPDATE orders SET status = 'FILLED', filled_quantity = $2, average_price = $3, settled_at = now() WHERE id = $1`, [
            orderIds[i],
            verdict.fill.filledQuantity,
            verdict.fill.averagePrice,
          ]);
        });
        return verdict;
      });
      filled.push({
        legIndex: leg.legIndex,
        symbol: leg.symbol,
        side: leg.side,
        qty: verdict.fill.filledQuantity,
        price: verdict.fill.averagePrice,
      });
    }
    await tx(async (c) => {
      for (const f of filled) {
        await c.query(
          'INSERT INTO position_components (position_id, leg_index, symbol, side, expected_quantity, entry_price) VALUES ($1, $2, $3, $4, $5, $6)',
          [positionId, f.legIndex, f.symbol, f.side, f.qty, f.price],
        );
      }
      await c.query(`UPDATE synthetic_positions SET status = 'ACTIVE', version = version + 1 WHERE id = $1`, [positionId]);
      await c.query(`INSERT INTO position_status_changes (position_id, from_status, to_status) VALUES ($1, 'EXECUTING', 'ACTIVE')`, [
        positionId,
      ]);
    });
  };

  return { execute, close: () => pool.end() };
}
