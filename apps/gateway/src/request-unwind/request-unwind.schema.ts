import { z } from 'zod';
import { POSITION_STATUSES } from '@legwork/domain';

/** `202` of `POST /api/positions/{id}/close` and `/rollback`: the unwind under way (asked again: the same one). */
export const UnwindAccepted = z
  .strictObject({
    positionId: z.uuid(),
    status: z.enum(POSITION_STATUSES).meta({ description: '`CLOSING` or `ROLLING_BACK`' }),
  })
  .meta({ id: 'UnwindAccepted', example: { positionId: '3f0c8a6e-1b2c-4d5e-8f90-1234567890ab', status: 'CLOSING' } });
export type UnwindAccepted = z.infer<typeof UnwindAccepted>;
