import { z } from 'zod';
import { RESTORE_PLAN_STATUSES } from '@legwork/domain';

/** A symbol whose leverage the plan sets back to 1x (seed 001). */
export const LeverageReset = z.strictObject({
  symbol: z.string(),
  fromLeverage: z.string().meta({ description: 'the exchange’s leverage now, e.g. "5"' }),
  description: z.string().meta({ example: 'Set ETHUSDT leverage 5x → 1x' }),
});

/** One trade of a restore plan (plans stored before hedge mode carry no `hedgeSide`). */
export const RestoreTrade = z.strictObject({
  legIndex: z.number().int(),
  symbol: z.string(),
  hedgeSide: z
    .enum(['long', 'short'])
    .nullable()
    .optional()
    .meta({ description: 'hedge mode: the side the trade goes to; null in one-way mode' }),
  side: z.enum(['buy', 'sell']),
  quantity: z.string().meta({ description: 'base coin, decimal string, rounded to the qty step' }),
  reduceOnly: z.boolean(),
  description: z.string().meta({ example: 'Buy 0.050 BTCUSDT' }),
});

/** `GET /api/positions/{id}/restore-plan`: the exact trades that would restore the position (nothing is sent). */
export const RestorePlan = z
  .strictObject({
    planId: z.uuid(),
    positionId: z.uuid(),
    leverageResets: z.array(LeverageReset),
    trades: z.array(RestoreTrade),
    skipped: z.array(z.strictObject({ symbol: z.string(), reason: z.string() })),
    exchangePositions: z.record(z.string(), z.string()).meta({ description: 'slot → the exchange’s signed size when the plan was made' }),
    expiresAt: z.string().meta({ description: 'ISO 8601; the plan cannot be confirmed after it' }),
  })
  .meta({ id: 'RestorePlan' });
export type RestorePlan = z.infer<typeof RestorePlan>;

/** `202` of `POST /api/positions/{id}/restore`: the position stays ACTIVE; the restore is its own field. */
export const RestoreStarted = z
  .strictObject({
    positionId: z.uuid(),
    status: z.literal('ACTIVE'),
    restore: z.strictObject({
      planId: z.uuid(),
      state: z.enum(RESTORE_PLAN_STATUSES).meta({ description: '`executing`' }),
      leverageResets: z.array(LeverageReset),
      trades: z.array(RestoreTrade),
    }),
  })
  .meta({ id: 'RestoreStarted' });
export type RestoreStarted = z.infer<typeof RestoreStarted>;
