import { z } from 'zod';
import { LEGGING_MODES, POSITION_STATUSES } from '@legwork/domain';

/**
 * Decimal string with up to 8 fractional digits, or a finite number; never NaN, ±Infinity, exponent
 * forms. The sign is checked first and stops the checks (`abort`): `-5` is "must be greater than
 * 0", not a complaint about its form (zod 4 runs every refinement and reports them in order).
 */
export const usdtAmount = (max: number) =>
  z
    .union([z.string().regex(/^-?\d{1,12}(\.\d{1,8})?$/, 'must be a decimal string like "1000" or "1000.50"'), z.number().finite()])
    .transform((v) => (typeof v === 'number' ? String(v) : v))
    .refine((v) => Number(v) > 0, { message: 'must be greater than 0', abort: true })
    .refine((v) => /^\d{1,12}(\.\d{1,8})?$/.test(v), { message: 'must have at most 8 decimal places', abort: true })
    .refine((v) => Number(v) <= max, `must be at most ${max}`);

/** `POST /api/positions` body. Unknown fields are refused. */
export const openPositionBody = (maxNotionalUsdt: number) =>
  z.strictObject({
    indexId: z.uuid(),
    notionalUsdt: usdtAmount(maxNotionalUsdt),
    direction: z.enum(['long', 'short']),
    /** Required only when the user has more than one exchange account. */
    accountId: z.uuid().optional(),
    /** `halt` (default, seed 000): a failed leg stops the basket, filled legs stay. `rollback`: unwind them. */
    onPartialFailure: z.enum(['halt', 'rollback']).default('halt'),
    /**
     * How the legs are sent: `sequential` (one after the other, halt at the first rejected leg) or
     * `batch` (all in one request). Absent: the index's default, else the gateway's `DEFAULT_LEGGING`.
     */
    legging: z.enum(LEGGING_MODES).optional(),
  });

export type OpenPositionBody = z.infer<ReturnType<typeof openPositionBody>>;

/** `Idempotency-Key` header: 1–128 characters of `[A-Za-z0-9_.:-]`. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . : -')
  .optional();

/** `202` of `POST /api/positions` (and of its replay): the position to follow with `GET /api/positions/{id}`. */
export const OpenPositionAccepted = z
  .strictObject({
    positionId: z.uuid(),
    status: z.enum(POSITION_STATUSES).meta({ description: '`PENDING` when accepted; a replay answers the position’s status now' }),
  })
  .meta({ id: 'OpenPositionAccepted', example: { positionId: '3f0c8a6e-1b2c-4d5e-8f90-1234567890ab', status: 'PENDING' } });
export type OpenPositionAccepted = z.infer<typeof OpenPositionAccepted>;
