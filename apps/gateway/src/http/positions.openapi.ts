import { z } from 'zod';
import { idempotencyKey, OpenPositionAccepted, openPositionBody } from '../accept-open-position/accept-open-position.schema';
import { PositionDetail, PositionPage } from '../query-positions/position.schema';
import { positionCursorParam } from '../query-positions/position-cursor';
import { UnwindAccepted } from '../request-unwind/request-unwind.schema';
import { RestorePlan, RestoreStarted } from '../plan-restore/plan-restore.schema';
import type { GatewaySettings } from '../gateway.settings';
import { limitParam } from './query-params';
import type { RouteDoc } from './openapi/route-doc';

/**
 * The positions routes' requests (validated in positions.controller.ts with these same schemas)
 * and their documents (`@ApiDoc` on each handler).
 */
export const positionIdParam = z.uuid().meta({ description: 'the position’s id', example: '3f0c8a6e-1b2c-4d5e-8f90-1234567890ab' });
export const restoreBody = z.strictObject({ planId: z.uuid().meta({ description: 'the `planId` of `GET …/restore-plan`' }) });
export const listQuery = z.strictObject({
  limit: limitParam(200, 50).meta({ description: '1–200, default 50' }),
  cursor: positionCursorParam,
});

const params = z.strictObject({ id: positionIdParam });
const replayed = {
  'Idempotent-Replayed': {
    description: '`true` when this answers an earlier request (nothing new was done)',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};

export const OPEN_POSITION_DOC = (settings: GatewaySettings): RouteDoc => ({
  operationId: 'openPosition',
  summary: 'Open a position (asynchronous: 202, then follow GET /api/positions/{id})',
  description:
    'Writes the position `PENDING` and its command in one transaction. With an `Idempotency-Key`, a retry with the same key and body answers the same position (`Idempotent-Replayed: true`); the same key with another body is `409 IDEMPOTENCY.KEY_REUSED`.',
  tags: ['positions'],
  auth: 'bearer',
  request: {
    headers: z.strictObject({
      'Idempotency-Key': idempotencyKey.meta({
        description: '1–128 of `A-Z a-z 0-9 _ . : -`; the same key replays the same position',
        example: 'order-2026-01-02-0001',
      }),
    }),
    body: openPositionBody(settings.maxNotionalUsdt).meta({
      example: { indexId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', notionalUsdt: '1000', direction: 'long' },
    }),
  },
  responses: { 202: { description: 'accepted (or replayed)', schema: OpenPositionAccepted, headers: replayed } },
  errors: [
    'INDEX.NOT_FOUND',
    'ACCOUNT.NOT_FOUND',
    'ACCOUNT.NONE',
    'ACCOUNT.AMBIGUOUS',
    'POSITION.OPPOSITE_DIRECTION_ONE_WAY',
    'IDEMPOTENCY.KEY_REUSED',
  ],
});

export const LIST_POSITIONS_DOC: RouteDoc = {
  operationId: 'listPositions',
  summary: 'The caller’s positions, newest first, each with its P&L (a page: `limit`, `cursor` → `nextCursor`)',
  tags: ['positions'],
  auth: 'bearer',
  request: { query: listQuery },
  responses: { 200: { description: 'a page of positions', schema: PositionPage } },
};

export const GET_POSITION_DOC: RouteDoc = {
  operationId: 'getPosition',
  summary: 'A position with its legs, fills, components, status history, deviations, P&L and execution quality',
  tags: ['positions'],
  auth: 'bearer',
  request: { params },
  responses: { 200: { description: 'the position', schema: PositionDetail } },
  errors: ['POSITION.NOT_FOUND'],
};

/** Close and rollback: the same request, answered with the unwind under way when asked again. */
const unwindDoc = (
  kind: 'close' | 'rollback',
  summary: string,
  refusal: 'POSITION.NOT_CLOSABLE' | 'POSITION.NOT_ROLLBACKABLE',
): RouteDoc => ({
  operationId: `${kind}Position`,
  summary,
  description: `Asked again while the ${kind} is under way: the same ${kind} (\`Idempotent-Replayed: true\`), never a second one.`,
  tags: ['positions'],
  auth: 'bearer',
  request: { params },
  responses: { 202: { description: kind === 'close' ? 'closing' : 'rolling back', schema: UnwindAccepted, headers: replayed } },
  errors: ['POSITION.NOT_FOUND', refusal, 'POSITION.VERSION_CONFLICT'],
});

export const CLOSE_POSITION_DOC = unwindDoc(
  'close',
  'Close an ACTIVE position: reduce-only orders for exactly its recorded components (202, then follow GET)',
  'POSITION.NOT_CLOSABLE',
);

export const ROLLBACK_POSITION_DOC = unwindDoc(
  'rollback',
  'Unwind the filled legs of a FAILED position (202, then follow GET)',
  'POSITION.NOT_ROLLBACKABLE',
);

export const RESTORE_PLAN_DOC: RouteDoc = {
  operationId: 'getRestorePlan',
  summary: 'The exact trades that would restore an ALTERED position to its components (a preview: nothing is sent)',
  tags: ['positions'],
  auth: 'bearer',
  request: { params },
  responses: { 200: { description: 'the plan, to confirm with POST …/restore before `expiresAt`', schema: RestorePlan } },
  errors: ['POSITION.NOT_FOUND', 'POSITION.NOT_ACTIVE', 'ACCOUNT.NOT_FOUND', 'EXECUTOR.UNAVAILABLE'],
};

export const RESTORE_POSITION_DOC: RouteDoc = {
  operationId: 'restorePosition',
  summary: 'Execute a restore plan from GET …/restore-plan, if the exchange still matches it (202)',
  tags: ['positions'],
  auth: 'bearer',
  request: { params, body: restoreBody },
  responses: { 202: { description: 'the restore started; the position stays ACTIVE', schema: RestoreStarted } },
  errors: [
    'POSITION.NOT_FOUND',
    'RESTORE.PLAN_NOT_FOUND',
    'ACCOUNT.NOT_FOUND',
    'RESTORE.PLAN_STALE',
    'RESTORE.PLAN_USED',
    'RESTORE.PLAN_EXPIRED',
    'POSITION.BUSY',
    'POSITION.NOT_ACTIVE',
    'EXECUTOR.UNAVAILABLE',
  ],
};
